// Replays the HTTP cases in tests/http/cases/*.json against a started server, one server per
// file. A case file is a list of steps: a request, what to expect, and values to capture for
// later steps ({{name}} in paths and bodies). A new case is a new file, not new code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../support/server.mjs';
import { check as conformance, documentedPath, spec } from '../support/openapi.mjs';

const casesDir = join(dirname(fileURLToPath(import.meta.url)), 'cases');

// "value.0.[@iot.id]": dots separate steps; [..] holds a key that contains dots itself.
function lookup(value, path) {
  if (path === ".") return value;
  const steps = path.match(/\[[^\]]*\]|[^.]+/g) || [];
  for (const raw of steps) {
    const step = raw.startsWith("[") ? raw.slice(1, -1) : raw;
    if (value === null || value === undefined) return undefined;
    value = value[/^\d+$/.test(step) ? Number(step) : step];
  }
  return value;
}

function substitute(text, vars) {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name) => {
    if (!(name in vars)) throw new Error(`no captured value {{${name}}}`);
    return String(vars[name]);
  });
}

function check(actual, expected, where) {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    for (const [op, arg] of Object.entries(expected)) {
      switch (op) {
        case '$exists': assert.equal(actual !== undefined, arg, `${where} exists`); break;
        case '$len': assert.equal(actual?.length, arg, `${where} length`); break;
        case '$gt': assert.ok(actual > arg, `${where}: ${actual} > ${arg}`); break;
        case '$gte': assert.ok(actual >= arg, `${where}: ${actual} >= ${arg}`); break;
        case '$contains': assert.ok(String(actual).includes(arg), `${where}: ${actual} contains ${arg}`); break;
        case '$type': assert.equal(actual === null ? 'null' : Array.isArray(actual) ? 'array' : typeof actual, arg, `${where} type`); break;
        default: assert.deepEqual(actual?.[op], arg, `${where}.${op}`);
      }
    }
    return;
  }
  assert.deepEqual(actual, expected, where);
}

async function runStep(server, step, vars) {
  const req = step.request;
  const headers = { ...(req.headers || {}) };
  if (req.auth === true) headers['Authorization'] = `Bearer ${server.apiKey}`;
  else if (req.auth === 'viewer' || req.auth === 'reviewer' || req.auth === 'administrator') {
    headers['Authorization'] = `Bearer ${server.keys[req.auth]}`;
  }
  else if (typeof req.auth === 'string') headers['Authorization'] = req.auth;
  let body;
  if (req.json !== undefined) {
    body = substitute(JSON.stringify(req.json), vars);
    headers['Content-Type'] ??= 'application/json';
  } else if (req.raw !== undefined) {
    body = substitute(req.raw, vars);
  } else if (req.repeat) {
    body = req.repeat.char.repeat(req.repeat.count);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(server.base + substitute(req.path, vars), {
    method: req.method || 'GET', headers, body, redirect: 'manual',
  });
  const text = await res.text();
  const exp = step.expect || {};
  const where = `${step.name} (${req.method || 'GET'} ${req.path})`;
  assert.equal(res.status, exp.status ?? 200, `${where}: status, body ${text.slice(0, 300)}`);
  // Every answer of a documented operation, hostile requests included, is as openapi.json says.
  const path = new URL(server.base + substitute(req.path, vars)).pathname;
  const documented = documentedPath(path);
  if (documented && spec.paths[documented][(req.method || 'GET').toLowerCase()]) {
    const conforms = conformance(req.method || 'GET', path, res.status, res.headers.get('content-type'), text);
    assert.deepEqual(conforms.errors, [], `${where}: as openapi.json describes`);
  }
  for (const [name, prefix] of Object.entries(exp.headers || {})) {
    check(res.headers.get(name) ?? undefined, prefix, `${where} header ${name}`);
  }
  for (const part of exp.bodyContains || []) {
    assert.ok(text.includes(part), `${where}: body contains ${JSON.stringify(part)}`);
  }
  let json;
  if (exp.json || exp.error || step.capture) {
    json = JSON.parse(text);
    for (const [path, expected] of Object.entries(exp.json || {})) {
      check(lookup(json, path), expected, `${where} ${path}`);
    }
    if (exp.error) {
      for (const [k, v] of Object.entries(exp.error)) check(json.error?.[k], v, `${where} error.${k}`);
      assert.equal(typeof json.error.message, 'string');
    }
    for (const [name, path] of Object.entries(step.capture || {})) vars[name] = lookup(json, path);
  }
}

for (const file of readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort()) {
  test(file, async (t) => {
    const steps = JSON.parse(readFileSync(join(casesDir, file), 'utf8'));
    const server = await startServer();
    // Times relative to now, for messages whose time is checked against the clock.
    const now = Date.now();
    const vars = {
      now: new Date(now).toISOString(),
      hour_ago: new Date(now - 3600e3).toISOString(),
      tomorrow: new Date(now + 86400e3).toISOString(),
      days_ago_401: new Date(now - 401 * 86400e3).toISOString(),  // past the uplink records' 400 days
      days_ago_399: new Date(now - 399 * 86400e3).toISOString(),
    };
    try {
      for (const step of steps) {
        await t.test(step.name, () => runStep(server, step, vars));
      }
      assert.ok(server.alive(), 'server still running after the file');
    } finally {
      await server.stop();
    }
  });
}
