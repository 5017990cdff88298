// Checks real responses against Datenwerk's OpenAPI 3.1 description (src/apidoc/openapi.json):
// the path and method must be documented, the status must be one the operation lists, the media
// type one its response lists, and a JSON body must validate against the response's schema
// (JSON Schema 2020-12, with ajv). Used by openapi.test.mjs and by the case runner.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const SOURCE = process.env.DATENWERK_SOURCE_DIR || join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SPEC_PATH = join(SOURCE, 'src', 'apidoc', 'openapi.json');
export const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8'));

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
ajv.addSchema(spec, 'openapi.json');

function escapeRegex(s) { return s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'); }

// Each documented path as a regular expression ({name} is one segment, or part of one); literal
// paths before templated ones, so /api/v1/datastreams/latest wins over /api/v1/datastreams/{id}.
const templates = Object.keys(spec.paths).map((path) => {
  const parts = path.split(/(\{[^}]+\})/);
  const source = parts.map((p) => (p.startsWith('{') ? '[^/]+?' : escapeRegex(p))).join('');
  return { path, regex: new RegExp(`^${source}$`), placeholders: parts.filter((p) => p.startsWith('{')).length };
}).sort((a, b) => a.placeholders - b.placeholders);

// The documented path a concrete path (or a router pattern like /api/v1/kpis/{id}) falls under.
export function documentedPath(path) {
  return templates.find((t) => t.regex.test(path))?.path;
}

export function operations() {
  const out = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) if (item[method]) out.push({ path, method, id: item[method].operationId });
  }
  return out;
}

// Follows $ref from a JSON pointer ("#/paths/…") to the node it ends at: [pointer, node].
function follow(ref) {
  let node;
  for (let depth = 0; depth < 8; ++depth) {
    node = ref.slice(2).split('/').map((k) => decodeURIComponent(k).replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((at, key) => at?.[key], spec);
    if (!node || !node.$ref) break;
    ref = node.$ref;
  }
  return [ref, node];
}

const validators = new Map();
function validatorAt(ref) {
  if (!validators.has(ref)) validators.set(ref, ajv.compile({ $ref: `openapi.json${ref}` }));
  return validators.get(ref);
}

// Validates one exchange; returns { operationId, errors: [text] } (no errors: it conforms).
export function check(method, url, status, contentType, bodyText) {
  const path = new URL(url, 'http://x').pathname;
  const template = documentedPath(path);
  if (!template) return { operationId: null, errors: [`${path} is not documented`] };
  const operation = spec.paths[template][method.toLowerCase()];
  if (!operation) return { operationId: null, errors: [`${method} ${template} is not documented`] };
  const where = `${method} ${url} (${operation.operationId}) → ${status}`;
  const key = String(status) in operation.responses ? String(status) : `${String(status)[0]}XX`;
  const [responseRef, response] = follow(`#/paths/${pointer(template)}/${method.toLowerCase()}/responses/${key}`);
  if (!response) return { operationId: operation.operationId, errors: [`${where}: status not documented`] };
  if (!response.content) {
    return { operationId: operation.operationId, errors: bodyText ? [`${where}: a body where none is documented`] : [] };
  }
  const media = (contentType || '').split(';')[0].trim();
  const content = response.content[media];
  if (!content) {
    return { operationId: operation.operationId, errors: [`${where}: media type ${media} not documented`] };
  }
  if (!media.includes('json') || !content.schema) return { operationId: operation.operationId, errors: [] };
  let body;
  try {
    body = JSON.parse(bodyText);
  } catch (e) {
    return { operationId: operation.operationId, errors: [`${where}: body is not JSON: ${e.message}`] };
  }
  const validate = validatorAt(`${responseRef}/content/${pointer(media)}/schema`);
  if (validate(body)) return { operationId: operation.operationId, errors: [] };
  return {
    operationId: operation.operationId,
    errors: validate.errors.slice(0, 5).map((e) => `${where}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`),
  };
}

// One JSON-pointer step as a URI fragment piece: ~ and / escaped, then percent-encoded ({id}).
function pointer(key) { return encodeURIComponent(key.replace(/~/g, '~0').replace(/\//g, '~1')); }

// Errors of `value` against components.schemas[name] (e.g. what a webhook receives): [] if none.
export function schemaErrors(name, value) {
  const validate = validatorAt(`#/components/schemas/${pointer(name)}`);
  return validate(value) ? [] : validate.errors.slice(0, 5).map((e) => `${name}: ${e.instancePath || '/'} ${e.message}`);
}

// fetch() and check in one: returns { response, text, json, check }.
export async function fetchChecked(url, init = {}) {
  const response = await fetch(url, init);
  const text = await response.text();
  const result = check(init.method || 'GET', url, response.status, response.headers.get('content-type'), text);
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { response, status: response.status, text, json, ...result };
}
