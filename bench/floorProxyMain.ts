// Child-process entry: node dist/bench/floorProxyMain.js --port N --upstream http://127.0.0.1:M
import { startFloorProxy } from './floorProxy.js';
import { announceReady, readArg, readPortArg } from './serveMain.js';

const upstream = readArg(process.argv, '--upstream');
if (upstream === undefined) throw new Error('--upstream is required');
const floor = await startFloorProxy(upstream, readPortArg(process.argv));
announceReady(floor.port, () => floor.close());
