// Child-process entry: node dist/bench/mockUpstreamMain.js --port N
import { startMockUpstream } from './mockUpstream.js';
import { announceReady, readPortArg } from './serveMain.js';

const mock = await startMockUpstream(readPortArg(process.argv));
announceReady(mock.port, () => mock.close());
