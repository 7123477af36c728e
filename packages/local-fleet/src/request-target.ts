import { HttpError } from './http';

/** A request target that every server of the fleet can act on without surprises. */
export interface RequestTarget {
  /** Origin-form path and query exactly as received (still percent-encoded), safe to forward as is. */
  path: string;
  /** The path's segments, percent-decoded (the first is the one after the leading "/"). */
  segments: string[];
  /** The query's parameters in order, percent-decoded ("+" is a space). */
  params: Array<[string, string]>;
}

/** Printable ASCII only: no space, no control character, no byte a client should have percent-encoded. */
const RAW_TARGET = /^[\x21-\x7e]*$/;
const ABSOLUTE_FORM = /^(https?:\/\/[^/?#]*)(.*)$/i;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * Parses what a client put in the request line, strictly: a path (or an http(s) absolute-form URL,
 * whose authority is ignored), every percent-escape complete and spelling UTF-8, no dot segment, no
 * control character once decoded, no fragment. Throws a 400 {@link HttpError} that says which rule
 * the target broke. Nothing is normalized: what is checked is what gets forwarded.
 */
export function parseRequestTarget(raw: string): RequestTarget {
  const path = originForm(raw);
  if (!RAW_TARGET.test(path) || path.includes('#')) {
    throw new HttpError(400, `the request target ${quote(path)} has characters that must be percent-encoded`);
  }
  const queryAt = path.indexOf('?');
  const rawPath = queryAt < 0 ? path : path.slice(0, queryAt);
  const rawQuery = queryAt < 0 ? '' : path.slice(queryAt + 1);
  const segments = rawPath
    .slice(1)
    .split('/')
    .map((segment) => decodeOrThrow(segment, rawPath, 'path'));
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    throw new HttpError(400, `the path ${quote(rawPath)} has a dot segment ("." or ".."); send the resolved path`);
  }
  const params = rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair): [string, string] => {
      const equals = pair.indexOf('=');
      const [name, value] = equals < 0 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
      const decode = (text: string) => decodeOrThrow(text.replace(/\+/g, ' '), rawQuery, 'query');
      return [decode(name), decode(value)];
    });
  return { path, segments, params };
}

/** The parameters as a record; a name given twice is refused (which of the two was meant?). */
export function singleValuedParams(target: RequestTarget): Record<string, string> {
  const seen = new Set<string>();
  for (const [name] of target.params) {
    if (seen.has(name)) throw new HttpError(400, `the query gives ${quote(name)} more than once`);
    seen.add(name);
  }
  // Own properties only: a parameter named __proto__ is just a name.
  return Object.fromEntries(target.params);
}

function originForm(raw: string): string {
  if (raw.startsWith('/')) return raw;
  const absolute = ABSOLUTE_FORM.exec(raw);
  if (absolute && URL.canParse(absolute[1])) return absolute[2] === '' ? '/' : absolute[2];
  throw new HttpError(400, `the request target ${quote(raw)} is not a path such as /features/<useCase>?entity=<id>`);
}

function decodeOrThrow(text: string, whole: string, part: 'path' | 'query'): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    throw new HttpError(
      400,
      `the ${part} ${quote(whole)} is not correctly percent-encoded: every "%" starts two hex digits, and the bytes spell UTF-8`,
    );
  }
  if (CONTROL_CHARACTER.test(decoded)) {
    throw new HttpError(400, `the ${part} ${quote(whole)} encodes a control character`);
  }
  return decoded;
}

/** Quotes client text for a message, cut short: an error must not echo a megabyte back. */
export function quote(text: string, max = 120): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}
