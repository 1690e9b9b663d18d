import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorsOf, expectError, expectWarning, load, loadOk, TWO_PROVIDERS, yaml } from './helpers.js';
import { formatIssues } from '../../src/config/formatIssues.js';

describe('unknown keys', () => {
  it('suggests the intended key in a provider', () => {
    const issue = expectError(
      yaml('version: v0.4.0', 'model_providers:', '  - model: openai/gpt-4o', '    retry_polcy:', '      default_max_attempts: 1'),
      'model_providers[0].retry_polcy',
      4,
    );
    assert.equal(issue.message, 'unknown key; did you mean "retry_policy"?');
  });

  it('suggests at the top level and inside extension blocks', () => {
    expectError(yaml(...TWO_PROVIDERS, 'model_alias:', '  a:', '    target: gpt-4o'), 'model_alias', 7, 'did you mean "model_aliases"?');
    expectError(yaml(...TWO_PROVIDERS, 'switchyard:', '  log_levl: debug'), 'switchyard.log_levl', 8, 'did you mean "log_level"?');
  });

  it('still errors without a close match', () => {
    const issue = expectError(yaml(...TWO_PROVIDERS, '    colour: blue'), 'model_providers[1].colour', 7);
    assert.equal(issue.message, 'unknown key');
  });

  it('catches misspellings deep inside a retry policy', () => {
    expectError(
      yaml(
        'version: v0.4.0',
        'model_providers:',
        '  - model: openai/gpt-4o',
        '    retry_policy:',
        '      on_status_codes:',
        '        - codes: [429]',
        '          strategy: same_model',
        '          max_attempt: 1',
      ),
      'model_providers[0].retry_policy.on_status_codes[0].max_attempt',
      8,
      'did you mean "max_attempts"?',
    );
  });

  it('catches misspellings in sections Switchyard ignores', () => {
    expectError(yaml(...TWO_PROVIDERS, 'tracing:', '  random_sampleing: 10'), 'tracing.random_sampleing', 8, 'did you mean "random_sampling"?');
  });
});

describe('types and syntax', () => {
  it('names the expected and actual type', () => {
    expectError(yaml(...TWO_PROVIDERS, '    default: "yes"'), 'model_providers[1].default', 7, 'must be true or false, got the string "yes"');
  });

  it('never echoes a secret value in a type error', () => {
    const issue = expectError(yaml('version: v0.4.0', 'model_providers:', '  - model: openai/gpt-4o', '    access_key: 987654321'), 'model_providers[0].access_key', 4, 'must be a string, got a number');
    assert.ok(!issue.message.includes('987654321'));
  });

  it('asks for the list form when listeners is neither form', () => {
    expectError(yaml(...TWO_PROVIDERS, 'listeners: model'), 'listeners', 7, 'must be a list, got the string "model"');
  });

  it('suggests a listener key', () => {
    expectError(yaml(...TWO_PROVIDERS, 'listeners:', '  - type: model', '    name: m', '    prot: 1'), 'listeners[0].prot', 10, 'did you mean "port"?');
  });

  it('reports YAML syntax errors with their line', () => {
    const issues = errorsOf(yaml('version: v0.4.0', 'model_providers:', '  - model: openai/gpt-4o', '    headers: {a: 1', 'listeners: []'));
    assert.ok(issues.length >= 1);
    assert.equal(issues[0]!.path, '');
    assert.match(issues[0]!.message, /^YAML syntax: /);
    assert.ok(issues[0]!.line !== undefined && issues[0]!.line >= 4, `line ${issues[0]!.line}`);
  });

  it('reports duplicate keys as a syntax error on their line', () => {
    const issues = errorsOf(yaml('version: v0.4.0', 'model_providers:', '  - model: openai/gpt-4o', 'version: v0.3.0'));
    assert.equal(issues[0]!.line, 4);
    assert.match(issues[0]!.message, /unique/);
  });

  it('rejects an empty file and a non-mapping root', () => {
    assert.match(errorsOf('')[0]!.message, /empty/);
    assert.match(errorsOf('- a\n- b\n')[0]!.message, /mapping/);
  });

  it('names every problem of a broken file at once, in file order', () => {
    const text = yaml(
      'version: v0.9', // 1
      'listeners:', // 2
      '  - type: model', // 3
      '    name: main', // 4
      '    timeout: forever', // 5
      'model_providers:', // 6
      '  - model: gpt-4o', // 7
      '  - model: openai/gpt-4o', // 8
      '    acess_key: $OPENAI_API_KEY', // 9
      '    retry_policy:', // 10
      '      backoff:', // 11
      '        apply_to: global', // 12
      '        base_ms: 500', // 13
      '        max_ms: 200', // 14
      'model_aliases:', // 15
      '  fast:', // 16
      '    target: nope', // 17
    );
    const r = load(text);
    assert.equal(r.ok, false);
    const errors = r.issues.filter((i) => i.severity === 'error');
    assert.deepEqual(
      errors.map((e) => [e.line, e.path]),
      [
        [1, 'version'],
        [5, 'listeners[0].timeout'],
        [7, 'model_providers[0].model'],
        [9, 'model_providers[1].acess_key'],
        [14, 'model_providers[1].retry_policy.backoff.max_ms'],
        [17, 'model_aliases.fast.target'],
      ],
    );
    const text14 = formatIssues(errors, 'config.yaml').split('\n')[4];
    assert.equal(text14, 'config.yaml:14: error: model_providers[1].retry_policy.backoff.max_ms: must be greater than base_ms (500), got 200');
  });
});

describe('listeners', () => {
  it('defaults the model listener when none is configured', () => {
    const { config } = loadOk(yaml(...TWO_PROVIDERS));
    assert.deepEqual(config.listener, { name: 'model_listener', address: '0.0.0.0', port: 12000, timeoutMs: 300_000 });
  });

  it('reads address, port and timeout', () => {
    const { config } = loadOk(
      yaml(...TWO_PROVIDERS, 'listeners:', '  - type: model', '    name: llm', '    address: 127.0.0.1', '    port: 8080', '    timeout: 1.5m'),
    );
    assert.deepEqual(config.listener, { name: 'llm', address: '127.0.0.1', port: 8080, timeoutMs: 90_000 });
  });

  it('rejects a bad timeout at its path', () => {
    expectError(yaml(...TWO_PROVIDERS, 'listeners:', '  - type: model', '    name: llm', '    timeout: "30"'), 'listeners[0].timeout', 10, 'positive duration', '"30"');
    expectError(yaml(...TWO_PROVIDERS, 'listeners:', '  - type: model', '    name: llm', '    timeout: 30'), 'listeners[0].timeout', 10, 'must be a string, got the number 30');
  });

  it('rejects a second model listener', () => {
    expectError(
      yaml(...TWO_PROVIDERS, 'listeners:', '  - type: model', '    name: a', '  - type: model', '    name: b', '    port: 12001'),
      'listeners[1].type',
      10,
      'only one model listener',
      'listeners[0]',
    );
  });

  it('maps the legacy egress_traffic form to the model listener, with warnings', () => {
    const { config, warnings } = loadOk(
      yaml(...TWO_PROVIDERS, 'listeners:', '  ingress_traffic:', '    port: 10000', '  egress_traffic:', '    port: 12500', '    timeout: 10s'),
    );
    assert.deepEqual(config.listener, { name: 'egress_traffic', address: '0.0.0.0', port: 12500, timeoutMs: 10_000 });
    expectWarning(warnings, 'listeners', 'deprecated');
    expectWarning(warnings, 'listeners.ingress_traffic', 'ignored by Switchyard');
  });

  it('rejects unknown keys in the legacy form', () => {
    expectError(yaml(...TWO_PROVIDERS, 'listeners:', '  egress_trafic:', '    port: 1'), 'listeners.egress_trafic', 8, 'did you mean "egress_traffic"?');
  });
});

describe('switchyard extension block', () => {
  it('defaults gateway settings', () => {
    const { config } = loadOk(yaml(...TWO_PROVIDERS));
    assert.deepEqual(config.gateway, {
      maxBodyBytes: 10_485_760,
      maxHeaderBytes: 16_384,
      headerTimeoutMs: 10_000,
      bodyTimeoutMs: 30_000,
      maxConcurrentRetries: 1000,
      shutdownGraceMs: 30_000,
      logLevel: 'info',
      translation: 'lenient',
      accessLog: true,
      unknownModels: 'reject',
      clientKeys: [],
      admin: undefined,
      sharedState: { type: 'memory' },
    });
  });

  it('reads gateway settings', () => {
    const { config } = loadOk(
      yaml(
        ...TWO_PROVIDERS,
        'switchyard:',
        '  max_body_bytes: 1024',
        '  max_header_bytes: 8192',
        '  header_timeout_ms: 500',
        '  body_timeout_ms: 700',
        '  max_concurrent_retries: 5',
        '  shutdown_grace_seconds: 2',
        '  log_level: debug',
        '  translation: strict',
        '  access_log: false',
        '  unknown_models: reject',
      ),
    );
    assert.deepEqual(config.gateway, {
      maxBodyBytes: 1024,
      maxHeaderBytes: 8192,
      headerTimeoutMs: 500,
      bodyTimeoutMs: 700,
      maxConcurrentRetries: 5,
      shutdownGraceMs: 2000,
      logLevel: 'debug',
      translation: 'strict',
      accessLog: false,
      unknownModels: 'reject',
      clientKeys: [],
      admin: undefined,
      sharedState: { type: 'memory' },
    });
  });

  it('rejects a bad log level', () => {
    expectError(yaml(...TWO_PROVIDERS, 'switchyard:', '  log_level: loud'), 'switchyard.log_level', 8, 'must be one of');
  });
});

describe('frozen output', () => {
  it('freezes config, providers, policies and aliases', () => {
    const { config } = loadOk(
      yaml(...TWO_PROVIDERS, '    retry_policy:', '      on_status_codes:', '        - codes: [429]', '          strategy: different_provider', '          max_attempts: 1', 'model_aliases:', '  x:', '    target: gpt-4o'),
    );
    const p = config.providers[1]!;
    for (const v of [config, config.providers, p, p.endpoint, p.headers, p.timeouts, p.retryPolicy, p.retryPolicy!.statusRules, p.retryPolicy!.statusRules[0]!.ranges[0], config.listener, config.gateway]) {
      assert.ok(Object.isFrozen(v));
    }
    assert.throws(() => ((config.providers as unknown as object[]).push({})), TypeError);
    assert.throws(() => ((config.aliases as Map<string, string>).set('y', 'z')), TypeError);
    assert.equal(config.aliases.get('x'), 'openai/gpt-4o');
  });
});
