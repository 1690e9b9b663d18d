// The x-portkey-config header values that route Portkey to the mock upstream.

export function portkeyTargetConfig(customHost: string): Record<string, string> {
  return { provider: 'openai', api_key: 'x', custom_host: customHost };
}

export function portkeyHeader(mockOrigin: string, primaryFails: boolean): string {
  const healthy = portkeyTargetConfig(`${mockOrigin}/v1`);
  if (!primaryFails) return JSON.stringify(healthy);
  return JSON.stringify({
    strategy: { mode: 'fallback', on_status_codes: [429] },
    targets: [portkeyTargetConfig(`${mockOrigin}/fail/v1`), healthy],
  });
}
