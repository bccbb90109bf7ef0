/**
 * Maps keyed by names a client chooses (header names, query parameters). On an ordinary object
 * `constructor` or `toString` would read an inherited value and `__proto__` would hit the
 * prototype accessor; API Gateway passes such names on like any other, so they are read and
 * written here as own properties only.
 */

/** The map's own value for `name`, never an inherited one. */
export function own<T>(map: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined;
}

/** Sets `name` as an own, enumerable property (JSON.stringify writes it), `__proto__` included. */
export function put<T>(map: Record<string, T>, name: string, value: T): void {
  if (name === "__proto__") {
    Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    map[name] = value;
  }
}
