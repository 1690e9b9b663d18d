// max_tokens against an entry's max_output_tokens: a client may ask for more
// than the model can write (Claude Code asks for 32000–128000), and most
// providers refuse that outright rather than write less.

export const clampMaxTokens = (requested: number, ceiling: number | undefined): number =>
  ceiling !== undefined && requested > ceiling ? ceiling : requested;
