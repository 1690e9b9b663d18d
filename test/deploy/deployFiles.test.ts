// deploy/ against the code: the Dockerfile, the compose file and the Kubernetes manifests name the
// same port, probe paths, config path and environment variables as the gateway and its example
// config. Docker and Kubernetes cannot run here; this is what can be checked without them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { request } from 'undici';
import { loadConfigText } from '../../src/config/load.js';
import { formatIssues } from '../../src/config/formatIssues.js';
import { REPO_ROOT } from '../support/paths.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const DEPLOY = resolve(REPO_ROOT, 'deploy');
const read = (...path: string[]): string => readFileSync(resolve(REPO_ROOT, ...path), 'utf8');

type Doc = Record<string, unknown>;
const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), value);

/** Every manifest in deploy/kubernetes, by kind and name. */
function manifests(): Map<string, Doc> {
  const out = new Map<string, Doc>();
  for (const file of readdirSync(join(DEPLOY, 'kubernetes')).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(read('deploy', 'kubernetes', file))) {
      const m = doc.toJS() as Doc;
      out.set(`${String(m['kind'])}/${String(at(m, 'metadata', 'name'))}`, m);
    }
  }
  return out;
}

/** The Dockerfile's final stage: its instructions, one per logical line. */
function runtimeStage(): string[] {
  const lines = read('deploy', 'Dockerfile').replace(/\\\n\s*/g, ' ').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const from = lines.map((l, i) => (l.startsWith('FROM ') ? i : -1)).filter((i) => i >= 0);
  return lines.slice(from.at(-1));
}

/** The $VARs a config refers to. */
const variablesOf = (yaml: string): string[] => [...new Set([...yaml.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)].map((m) => m[1]!))].sort();

const FLEET_CONFIG = read('examples', 'fleet.yaml');
const k8s = manifests();
const deployment = k8s.get('Deployment/switchyard')!;
const container = at(deployment, 'spec', 'template', 'spec', 'containers', 0) as Doc;
const compose = parse(read('deploy', 'compose.yaml')) as Doc;
const runtime = runtimeStage();
const entrypoint = JSON.parse(runtime.find((l) => l.startsWith('ENTRYPOINT '))!.slice('ENTRYPOINT '.length)) as string[];
const configPath = entrypoint[entrypoint.indexOf('up') + 1]!;

describe('deploy/', () => {
  it('holds a Dockerfile, a compose file and the Kubernetes manifests the docs name', () => {
    for (const file of ['Dockerfile', 'Dockerfile.dockerignore', 'compose.yaml', 'nginx.conf', 'kubernetes/kustomization.yaml']) assert.ok(statSync(join(DEPLOY, file)).isFile(), file);
    for (const key of ['ConfigMap/switchyard-config', 'Secret/switchyard-keys', 'Deployment/switchyard', 'Service/switchyard', 'PodDisruptionBudget/switchyard', 'Deployment/switchyard-redis', 'Service/switchyard-redis']) {
      assert.ok(k8s.has(key), `deploy/kubernetes has no ${key}`);
    }
    const listed = (parse(read('deploy', 'kubernetes', 'kustomization.yaml')) as { resources: string[] }).resources.sort();
    assert.deepEqual(listed, readdirSync(join(DEPLOY, 'kubernetes')).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort());
  });

  it('the deployed config is examples/fleet.yaml, and it shares state through Redis', () => {
    assert.equal(at(k8s.get('ConfigMap/switchyard-config'), 'data', 'config.yaml'), FLEET_CONFIG);
    const r = loadConfigText(FLEET_CONFIG, 'examples/fleet.yaml', Object.fromEntries(variablesOf(FLEET_CONFIG).map((v) => [v, v === 'REDIS_URL' ? 'redis://r:6379/0' : `${v}-value`])));
    assert.ok(r.ok, r.ok ? '' : formatIssues(r.issues, 'fleet.yaml'));
    assert.equal(r.config.gateway.sharedState.type, 'redis');
  });

  describe('the Dockerfile', () => {
    it('builds in one stage and runs from another, with production dependencies only, as a non-root user', () => {
      const froms = read('deploy', 'Dockerfile').split('\n').filter((l) => l.startsWith('FROM '));
      assert.ok(froms.length >= 2, 'multi-stage');
      assert.ok(runtime.some((l) => /npm ci .*--omit=dev/.test(l)), 'npm ci --omit=dev in the final stage');
      const user = runtime.find((l) => l.startsWith('USER '))?.slice(5).trim();
      assert.ok(user !== undefined && user !== 'root' && user !== '0', `runs as ${user}`);
    });

    it('uses the Node major version package.json asks for', () => {
      const image = /ARG NODE_IMAGE=node:(\d+)/.exec(read('deploy', 'Dockerfile'))?.[1];
      const engines = /(\d+)/.exec((JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node)?.[1];
      assert.equal(image, engines);
    });

    it('starts the CLI on the config path, exposes the listener port and checks /healthz on it', () => {
      assert.deepEqual(entrypoint.slice(0, 3), ['node', 'dist/src/cli/main.js', 'up']);
      assert.equal(entrypoint.at(-1), '--foreground');
      const port = (parse(FLEET_CONFIG) as { listeners: { port: number }[] }).listeners[0]!.port;
      assert.ok(runtime.includes(`EXPOSE ${port}`));
      assert.match(runtime.find((l) => l.startsWith('HEALTHCHECK '))!, new RegExp(`http://127\\.0\\.0\\.1:${port}/healthz`));
      assert.ok(runtime.some((l) => l === `COPY examples/fleet.yaml ${configPath}`), 'a default config at the path the CLI reads');
    });

    it('every package the gateway imports is a production dependency', () => {
      const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
      const sources = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? sources(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));
      const imported = new Set<string>();
      for (const file of sources(resolve(REPO_ROOT, 'src'))) {
        // Import statements only: a word `from` inside a string (a metric's label list) is not one.
        for (const m of readFileSync(file, 'utf8').matchAll(/(?:^|[\s}])(?:from\s+|import\s*\(\s*|import\s+)'([^.'][^']*)'/gm)) {
          const spec = m[1]!;
          if (spec.startsWith('node:')) continue;
          imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
        }
      }
      assert.ok(imported.has('ioredis'));
      for (const name of imported) assert.ok(name in pkg.dependencies, `${name} is imported by src/ but is not in dependencies`);
    });
  });

  describe('the Kubernetes manifests', () => {
    it('name the listener port everywhere', () => {
      const port = (parse(FLEET_CONFIG) as { listeners: { port: number }[] }).listeners[0]!.port;
      const ports = at(container, 'ports') as { name: string; containerPort: number }[];
      assert.deepEqual(ports, [{ name: 'http', containerPort: port }]);
      assert.equal(at(k8s.get('Service/switchyard'), 'spec', 'ports', 0, 'targetPort'), 'http');
    });

    it('probe readiness on /readyz and liveness on /healthz', () => {
      assert.deepEqual(at(container, 'readinessProbe', 'httpGet'), { path: '/readyz', port: 'http' });
      assert.deepEqual(at(container, 'livenessProbe', 'httpGet'), { path: '/healthz', port: 'http' });
      assert.equal(at(container, 'startupProbe', 'httpGet', 'path'), '/healthz');
    });

    it('mount the ConfigMap where the image reads its config', () => {
      const mount = (at(container, 'volumeMounts') as { name: string; mountPath: string }[])[0]!;
      const volume = (at(deployment, 'spec', 'template', 'spec', 'volumes') as { name: string; configMap: { name: string; items: { key: string; path: string }[] } }[]).find((v) => v.name === mount.name)!;
      assert.equal(volume.configMap.name, 'switchyard-config');
      assert.equal(`${mount.mountPath}/${volume.configMap.items[0]!.path}`, configPath);
      assert.equal(volume.configMap.items[0]!.key, 'config.yaml');
    });

    it('set every variable the config names, from the Secret or pointing at the Redis Service', () => {
      const env = at(container, 'env') as { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
      assert.deepEqual(env.map((e) => e.name).sort(), variablesOf(FLEET_CONFIG));
      const secret = at(k8s.get('Secret/switchyard-keys'), 'stringData') as Record<string, string>;
      for (const e of env.filter((x) => x.valueFrom !== undefined)) {
        assert.equal(e.valueFrom!.secretKeyRef.name, 'switchyard-keys');
        assert.ok(e.valueFrom!.secretKeyRef.key in secret, `the Secret holds ${e.valueFrom!.secretKeyRef.key}`);
      }
      const redisUrl = new URL(env.find((e) => e.name === 'REDIS_URL')!.value!);
      const redisService = k8s.get(`Service/${redisUrl.hostname}`);
      assert.ok(redisService !== undefined, `REDIS_URL names the Service ${redisUrl.hostname}`);
      assert.equal(Number(redisUrl.port), at(redisService, 'spec', 'ports', 0, 'port'));
    });

    it('select the gateway pods in the Service and the PodDisruptionBudget, and keep two of three through disruptions', () => {
      const labels = at(deployment, 'spec', 'template', 'metadata', 'labels');
      assert.deepEqual(at(k8s.get('Service/switchyard'), 'spec', 'selector'), labels);
      assert.deepEqual(at(k8s.get('PodDisruptionBudget/switchyard'), 'spec', 'selector', 'matchLabels'), labels);
      assert.equal(at(deployment, 'spec', 'replicas'), 3);
      assert.equal(at(k8s.get('PodDisruptionBudget/switchyard'), 'spec', 'minAvailable'), 2);
    });

    it('give a replica longer to stop than the gateway takes to drain', () => {
      const grace = (parse(FLEET_CONFIG) as { switchyard: { shutdown_grace_seconds: number } }).switchyard.shutdown_grace_seconds;
      assert.ok((at(deployment, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds') as number) > grace + 5);
    });

    it('run the gateway as the image\'s non-root user, read-only', () => {
      assert.equal(at(deployment, 'spec', 'template', 'spec', 'securityContext', 'runAsNonRoot'), true);
      assert.equal(at(container, 'securityContext', 'readOnlyRootFilesystem'), true);
    });
  });

  describe('the compose file', () => {
    const services = compose['services'] as Record<string, Doc>;
    it('runs three replicas, Redis and a load balancer', () => {
      assert.deepEqual(Object.keys(services).sort(), ['lb', 'redis', 'switchyard']);
      assert.equal(at(services['switchyard'], 'deploy', 'replicas'), 3);
      assert.equal(at(services['switchyard'], 'build', 'dockerfile'), 'deploy/Dockerfile');
    });

    it('mounts the fleet config where the image reads it, and sets every variable it names', () => {
      assert.deepEqual(at(services['switchyard'], 'volumes'), [`../examples/fleet.yaml:${configPath}:ro`]);
      const env = at(services['switchyard'], 'environment') as Record<string, string>;
      assert.deepEqual(Object.keys(env).sort(), variablesOf(FLEET_CONFIG));
      assert.equal(new URL(env['REDIS_URL']!).hostname, 'redis');
    });

    it('balances over the replicas on the listener port', () => {
      const port = (parse(FLEET_CONFIG) as { listeners: { port: number }[] }).listeners[0]!.port;
      assert.deepEqual(at(services['switchyard'], 'expose'), [String(port)]);
      assert.deepEqual(at(services['lb'], 'ports'), [`${port}:${port}`]);
      const nginx = read('deploy', 'nginx.conf');
      assert.match(nginx, new RegExp(`server switchyard:${port}\\b`));
      assert.match(nginx, new RegExp(`listen ${port};`));
      assert.match(nginx, /proxy_buffering off;/, 'streams are not buffered');
    });
  });

  describe('the probe paths answer on a running gateway', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway('version: v0.4.0\nmodel_providers:\n  - model: openai/gpt-4o\n    access_key: sk-deploy-test\n');
    });
    after(async () => {
      await gw.close();
    });
    for (const path of ['/healthz', '/readyz']) {
      it(`${path} is 200`, async () => {
        const res = await request(`${gw.url}${path}`);
        await res.body.dump();
        assert.equal(res.statusCode, 200);
      });
    }
  });
});
