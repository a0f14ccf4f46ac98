// Values a schema accepts but JSON.stringify would silently change: an event
// that does not survive encoding unchanged must be refused, not rewritten.

import type { ValidationError } from "../protocol/validate.ts";

/** Every place in `value` that JSON text cannot hold as it is. */
export function jsonIssues(value: unknown): ValidationError[] {
  const issues: ValidationError[] = [];
  walk(value, "", new Set(), issues);
  return issues;
}

function walk(
  value: unknown,
  path: string,
  ancestors: Set<object>,
  issues: ValidationError[],
): void {
  switch (typeof value) {
    case "string":
    case "boolean":
      return;
    case "number":
      if (!Number.isFinite(value)) {
        issues.push({ path, message: `Expected a finite number but received ${value}` });
      }
      return;
    case "object":
      break;
    default:
      issues.push({ path, message: `Expected a JSON value but received a ${typeof value}` });
      return;
  }
  if (value === null) return;
  if (ancestors.has(value)) {
    issues.push({ path, message: "Expected a JSON value but received a circular reference" });
    return;
  }
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || value[i] === undefined) {
        issues.push({ path: `${path}/${i}`, message: "Expected a JSON value but found none" });
      } else {
        walk(value[i], `${path}/${i}`, ancestors, issues);
      }
    }
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
      issues.push({ path, message: `Expected a plain object but received a ${name}` });
    } else {
      for (const [key, member] of Object.entries(value)) {
        // An undefined member is an absent one, as JSON.stringify treats it.
        if (member !== undefined) walk(member, `${path}/${escape(key)}`, ancestors, issues);
      }
    }
  }
  ancestors.delete(value);
}

function escape(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}
