// Child-process entry: node dist/bench/mock-upstream-main.js --port N
import { startMockUpstream } from './mock-upstream.js';
import { announceReady, readPortArg } from './serve-main.js';

const mock = await startMockUpstream(readPortArg(process.argv));
announceReady(mock.port, mock.close);
