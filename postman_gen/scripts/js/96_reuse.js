// One context serves request after request, and each request still starts clean (speed: a fresh context
// evaluates this whole library again, about 8 ms of CPU; cleaning one up takes a fraction of a millisecond).
// What a request's scripts can leave behind, and what undoes it:
// - changes to built-ins and their prototypes: __pg.restoreBuiltins (95_guard.js), as after every script;
// - globals a script created (`utils = ...`) or replaced: __pg.scrub deletes and restores them;
// - changes to the sandbox's own objects (pm's classes, chai's Assertion, lodash, CryptoJS, moment, ...):
//   impossible, they are frozen here once (a script's write to them fails as it would on a frozen object);
// - the library's own counters (lodash's uniqueId): reset by __pg.scrub.
// What cannot be undone (a global a script made non-configurable, a built-in it made non-extensible)
// makes __pg.scrub throw, and the engine then drops the context and starts a fresh one.
"use strict";
(function (pg) {
  const ownKeys = Reflect.ownKeys;
  const getDescriptor = Object.getOwnPropertyDescriptor;
  const defineProperty = Reflect.defineProperty;
  const deleteProperty = Reflect.deleteProperty;
  const getPrototypeOf = Reflect.getPrototypeOf;
  const isExtensible = Reflect.isExtensible;
  const freeze = Object.freeze;
  const isObject = (v) => v !== null && (typeof v === "object" || typeof v === "function");

  // Every object reachable through properties and prototypes from `roots`, except those in `skip`.
  function reachable(roots, skip) {
    const found = new Set();
    if (skip) skip.forEach((o) => found.add(o));
    const queue = roots.slice();
    while (queue.length) {
      const o = queue.pop();
      if (!isObject(o) || found.has(o)) continue;
      found.add(o);
      queue.push(getPrototypeOf(o));
      for (const key of ownKeys(o)) {
        const d = getDescriptor(o, key);
        if ("value" in d) queue.push(d.value);
        else queue.push(d.get, d.set);
      }
    }
    if (skip) skip.forEach((o) => found.delete(o));
    return found;
  }

  // The engine's built-ins (and what they lead to) stay as they are: the guard restores them.
  const engine = pg.engineGlobals.map((key) => getDescriptor(globalThis, key).value);
  const builtins = reachable(engine, new Set([globalThis])); // not through globalThis.globalThis
  builtins.add(globalThis);

  // The globals as the library leaves them, before any script: __pg.scrub brings them back.
  const globalKeys = ownKeys(globalThis);
  const globalProps = globalKeys.map((key) => [key, getDescriptor(globalThis, key)]);
  const intrinsics = [];
  builtins.forEach((o) => intrinsics.push([o, isExtensible(o)]));

  // One sample script run makes the per-script objects (pm, its request, response, scopes, cookies) and
  // the library's instances, so that their classes' prototypes are found and frozen too.
  const sample = {
    event: "test", itemName: "sample", itemPath: "sample", itemId: "sample", iteration: 0, iterationCount: 1,
    cookies: [["c", "1"]],
    scopes: { globals: [["g", 1]], collection: [], environment: [], data: [], local: [] },
    request: { method: "POST", url: "http://127.0.0.1/?a=1", headers: [["A", "1"]], body: "a=1", bodyMode: "urlencoded" },
    response: { code: 200, status: "OK", headers: [["Set-Cookie", "c=1"]], body: "{}", responseTime: 1, size: 2 },
  };
  pg.begin(JSON.stringify(sample));
  const instances = [
    pg.moment(), pg.moment.duration(1), pg.CryptoJS.MD5("x"), pg.Buffer.from("x"), pg.expect(1),
    new pg.AssertionError("x"), pg.xml2js, pg.uuid,
  ];
  // Throws when a request's scripts left something that cannot be undone: the engine then drops the context.
  pg.scrub = function () {
    pg.restoreBuiltins();
    for (let i = 0; i < intrinsics.length; i++) {
      if (isExtensible(intrinsics[i][0]) !== intrinsics[i][1]) throw new TypeError("a built-in was made non-extensible");
    }
    const now = ownKeys(globalThis);
    for (let j = 0; j < now.length; j++) {
      if (!getDescriptor(globalThis, now[j]) || globalKeys.indexOf(now[j]) >= 0) continue;
      if (!deleteProperty(globalThis, now[j])) throw new TypeError("a script made a global that cannot be removed");
    }
    for (let j = 0; j < globalProps.length; j++) {
      if (!defineProperty(globalThis, globalProps[j][0], globalProps[j][1])) throw new TypeError("a global cannot be restored");
    }
    pg.resetUniqueId();
  };
  const globalValues = ownKeys(globalThis).map((key) => getDescriptor(globalThis, key));
  const roots = globalValues.map((d) => d.value).concat(globalValues.map((d) => d.get), [pg], instances);
  const own = reachable(roots, builtins);
  own.forEach((o) => {
    try {
      freeze(o);
    } catch (e) {
      // a typed array with elements cannot be frozen: only the sample Buffer, which no one keeps
    }
  });

  pg.scrub(); // the sample run's legacy globals (pm, responseBody, ...) go
})(globalThis.__pg);
