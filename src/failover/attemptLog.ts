// The `upstream attempt` log line, one per attempt, written where attempts end
// (the orchestrator, the race). A failure names the rule that governs it; a
// hedge says so; limits that were learned or cut by the deadline split are
// shown with their source.
import type { FailoverContext } from './runTypes.js';
import type { Step } from './session.js';

type AttemptStep = Extract<Step, { kind: 'attempt' }>;

export function logAttempt(
  ctx: FailoverContext,
  step: AttemptStep,
  outcome: string,
  latencyMs: number,
  rule: string | undefined,
  hedge = false,
): void {
  const line: Record<string, unknown> = { requestId: ctx.requestId, model: step.target.model, attempt: step.attemptNo, outcome, latencyMs };
  if (rule !== undefined) line['rule'] = rule;
  if (hedge) line['hedge'] = true;
  if (step.limits.basis !== 'configured') {
    line['limit'] = step.limits.basis;
    line['limitMs'] = ctx.stream === true ? step.limits.firstTokenMs : step.limits.firstByteMs;
  }
  ctx.log.info(line, 'upstream attempt');
}
