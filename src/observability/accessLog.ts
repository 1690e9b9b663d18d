// One line per client request: what was asked, what answered, how it ended.
// Written when the response closes, so requests refused before any upstream
// attempt (404, unknown model, a refused field) are logged like the rest.
// Health probes are not logged: an orchestrator polls them every few seconds.
import type { ServerResponse } from 'node:http';
import type { WireFormat } from '../dialects/wireFormat.js';
import type { Logger } from './logger.js';

/**
 * What the handlers learn about a request as it goes: filled in by whoever
 * knows (the chat handler knows the model and the attempts), read once when
 * the response closes. Fields stay undefined when the request never got that far.
 */
export interface AccessNotes {
  /** The `model` the client asked for. */
  requestedModel: string | undefined;
  /** The entry that answered, or the last one tried. */
  entry: string | undefined;
  /** Upstream attempts made; 0 when the request was refused before any. */
  attempts: number;
  /** x-switchyard-dropped, when hints were dropped. */
  dropped: string | undefined;
}

export const newAccessNotes = (): AccessNotes => ({ requestedModel: undefined, entry: undefined, attempts: 0, dropped: undefined });

export interface AccessLine {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  /** The dialect the gateway answered in. */
  readonly dialect: WireFormat;
  readonly notes: AccessNotes;
}

/** Logs `line` once `res` has closed: status, and whether the client left before the end. */
export function logAccessOnClose(log: Logger, res: ServerResponse, line: AccessLine, startedAt: number): void {
  res.once('close', () => {
    const { notes } = line;
    log.info(
      {
        requestId: line.requestId,
        method: line.method,
        path: line.path,
        dialect: line.dialect,
        model: notes.requestedModel,
        entry: notes.entry,
        status: res.headersSent ? res.statusCode : undefined,
        attempts: notes.attempts,
        durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
        dropped: notes.dropped,
        // Closed before the whole answer was written: the client left, or the answer was cut.
        incomplete: res.writableFinished ? undefined : true,
      },
      'request',
    );
  });
}
