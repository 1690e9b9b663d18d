// Child-process entry: node dist/bench/floor-proxy-main.js --port N --upstream http://127.0.0.1:M
import { startFloorProxy } from './floor-proxy.js';
import { announceReady, readArg, readPortArg } from './serve-main.js';

const upstream = readArg(process.argv, '--upstream');
if (upstream === undefined) throw new Error('--upstream is required');
const floor = await startFloorProxy(upstream, readPortArg(process.argv));
announceReady(floor.port, floor.close);
