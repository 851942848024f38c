// A chai-BDD subset for pm.expect: the words and assertions that real collections use,
// with chai-like failure messages ("expected 200 to equal 201").
"use strict";
(function (pg) {
  const inspect = pg.inspect;

  class AssertionError extends Error {
    constructor(message, props) {
      super(message);
      this.name = "AssertionError";
      Object.assign(this, props || {});
    }
  }
  pg.AssertionError = AssertionError;

  function typeOf(v) {
    if (v === null) return "null";
    if (v === undefined) return "undefined";
    if (Array.isArray(v)) return "array";
    if (v instanceof RegExp) return "regexp";
    if (v instanceof Date) return "date";
    if (v instanceof Error) return "error";
    if (v instanceof Promise) return "promise";
    if (v instanceof Map) return "map";
    if (v instanceof Set) return "set";
    return typeof v;
  }
  pg.typeOf = typeOf;

  function deepEqual(a, b, seen) {
    if (a === b) return true;
    if (typeof a === "number" && typeof b === "number") return isNaN(a) && isNaN(b);
    const ta = typeOf(a);
    if (ta !== typeOf(b) || typeof a !== "object" || a === null) return false;
    if (ta === "date") return a.getTime() === b.getTime();
    if (ta === "regexp") return String(a) === String(b);
    seen = seen || [];
    for (const [x, y] of seen) if (x === a && y === b) return true;
    seen.push([a, b]);
    if (ta === "array") return a.length === b.length && a.every((x, i) => deepEqual(x, b[i], seen));
    if (ta === "map" || ta === "set") return deepEqual(Array.from(a), Array.from(b), seen);
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return deepEqual(ka, kb, seen) && ka.every((k) => deepEqual(a[k], b[k], seen));
  }
  pg.deepEqual = (a, b) => deepEqual(a, b);

  // "a.b[0].c" / "a\\.b" -> path parts, as chai's nested property does.
  function parsePath(path) {
    const parts = [];
    String(path).replace(/\\([.[\]])|\[(\d+)\]|([^.[\]\\]+|\\.)/g, (m, esc, idx, name) => {
      if (esc) {
        if (parts.length) parts[parts.length - 1] += esc;
        else parts.push(esc);
      } else if (idx !== undefined) parts.push(Number(idx));
      else parts.push(name);
      return "";
    });
    return parts;
  }
  pg.getPath = function (obj, path) {
    let cur = obj;
    const parts = Array.isArray(path) ? path : parsePath(path);
    for (const p of parts) {
      if (cur === null || cur === undefined || !(typeof cur === "object" || typeof cur === "string") || !(p in Object(cur)))
        return { exists: false, value: undefined };
      cur = cur[p];
    }
    return { exists: true, value: cur };
  };

  function Assertion(obj, message) {
    this._obj = obj;
    this._flags = { message: message };
  }
  pg.Assertion = Assertion;
  const P = Assertion.prototype;

  P.assert = function (ok, msg, negMsg, expected, actual) {
    const negate = !!this._flags.negate;
    if (negate ? !ok : ok) return this;
    let text = (negate ? negMsg : msg) || "assertion failed";
    const subject = "_subjectText" in this._flags ? this._flags._subjectText : inspect(this._obj);
    text = text
      .replace(/#\{this\}/g, () => subject)
      .replace(/#\{exp\}/g, () => inspect(expected))
      .replace(/#\{act\}/g, () => inspect(actual === undefined ? this._obj : actual));
    if (this._flags.message) text = this._flags.message + ": " + text;
    throw new AssertionError(text, { expected: expected, actual: actual === undefined ? this._obj : actual });
  };

  function addProperty(name, getter) {
    Object.defineProperty(P, name, {
      configurable: true,
      get: function () {
        const r = getter.call(this);
        return r === undefined ? this : r;
      },
    });
  }
  function addMethod(name, fn) {
    P[name] = function () {
      const r = fn.apply(this, arguments);
      return r === undefined ? this : r;
    };
  }
  // A word that is both a property (`.include.members`) and a method (`.include(3)`).
  function addChainable(name, method, chain) {
    Object.defineProperty(P, name, {
      configurable: true,
      get: function () {
        if (chain) chain.call(this);
        const self = this;
        const fn = function () {
          const r = method.apply(self, arguments);
          return r === undefined ? self : r;
        };
        Object.setPrototypeOf(fn, self);
        return fn;
      },
    });
  }
  pg.addProperty = addProperty;
  pg.addMethod = addMethod;

  ["to", "be", "been", "is", "that", "which", "and", "has", "have", "with", "at", "of", "same", "does", "but", "also", "itself", "still"].forEach(
    (w) => addProperty(w, function () {})
  );
  addProperty("not", function () {
    this._flags.negate = !this._flags.negate;
  });
  ["deep", "nested", "own", "any", "all", "ordered"].forEach((f) =>
    addProperty(f, function () {
      this._flags[f] = true;
      if (f === "any") this._flags.all = false;
      if (f === "all") this._flags.any = false;
    })
  );

  addProperty("ok", function () {
    this.assert(!!this._obj, "expected #{this} to be truthy", "expected #{this} to be falsy");
  });
  addProperty("true", function () {
    this.assert(this._obj === true, "expected #{this} to be true", "expected #{this} to be false");
  });
  addProperty("false", function () {
    this.assert(this._obj === false, "expected #{this} to be false", "expected #{this} to be true");
  });
  addProperty("null", function () {
    this.assert(this._obj === null, "expected #{this} to be null", "expected #{this} not to be null");
  });
  addProperty("undefined", function () {
    this.assert(this._obj === undefined, "expected #{this} to be undefined", "expected #{this} not to be undefined");
  });
  addProperty("NaN", function () {
    this.assert(Number.isNaN(this._obj), "expected #{this} to be NaN", "expected #{this} not to be NaN");
  });
  addProperty("exist", function () {
    this.assert(this._obj !== null && this._obj !== undefined, "expected #{this} to exist", "expected #{this} to not exist");
  });
  addProperty("exists", function () {
    return this.exist;
  });
  addProperty("finite", function () {
    this.assert(Number.isFinite(this._obj), "expected #{this} to be a finite number", "expected #{this} to not be a finite number");
  });
  addProperty("empty", function () {
    const o = this._obj;
    let size;
    if (typeof o === "string" || Array.isArray(o)) size = o.length;
    else if (o instanceof Map || o instanceof Set) size = o.size;
    else if (o !== null && typeof o === "object") size = Object.keys(o).length;
    else throw new TypeError(".empty was passed non-string primitive " + inspect(o));
    this.assert(size === 0, "expected #{this} to be empty", "expected #{this} not to be empty");
  });

  function aType(type, msg) {
    if (msg) this._flags.message = msg;
    type = String(type).toLowerCase();
    const article = /^[aeiou]/.test(type) ? "an " : "a ";
    this.assert(typeOf(this._obj) === type, "expected #{this} to be " + article + type, "expected #{this} not to be " + article + type);
  }
  addChainable("a", aType);
  addChainable("an", aType);

  function include(val, msg) {
    if (msg) this._flags.message = msg;
    const o = this._obj;
    const deep = this._flags.deep;
    const eq = deep ? (x, y) => deepEqual(x, y) : (x, y) => x === y || (Number.isNaN(x) && Number.isNaN(y));
    const word = deep ? "deep include" : "include";
    let ok;
    if (typeof o === "string") ok = o.indexOf(val) >= 0;
    else if (Array.isArray(o)) ok = o.some((x) => eq(x, val));
    else if (o instanceof Set) ok = Array.from(o).some((x) => eq(x, val));
    else if (o instanceof Map) ok = Array.from(o.values()).some((x) => eq(x, val));
    else if (o !== null && typeof o === "object" && val !== null && typeof val === "object") {
      ok = Object.keys(val).every((k) => {
        const got = this._flags.nested ? pg.getPath(o, k) : { exists: k in o, value: o[k] };
        return got.exists && eq(got.value, val[k]);
      });
    } else {
      throw new AssertionError("object tested must be an array, a map, an object, a set, a string, or a weakset, but " + typeOf(o) + " given");
    }
    this.assert(ok, "expected #{this} to " + word + " #{exp}", "expected #{this} to not " + word + " #{exp}", val);
  }
  const markContains = function () {
    this._flags.contains = true;
  };
  ["include", "includes", "contain", "contains"].forEach((n) => addChainable(n, include, markContains));

  function assertEqual(val, msg) {
    if (msg) this._flags.message = msg;
    if (this._flags.deep) return assertEql.call(this, val);
    const o = this._obj;
    this.assert(o === val || (Number.isNaN(o) && Number.isNaN(val)), "expected #{this} to equal #{exp}", "expected #{this} to not equal #{exp}", val);
  }
  function assertEql(val, msg) {
    if (msg) this._flags.message = msg;
    this.assert(deepEqual(this._obj, val), "expected #{this} to deeply equal #{exp}", "expected #{this} to not deeply equal #{exp}", val);
  }
  ["equal", "equals", "eq"].forEach((n) => addMethod(n, assertEqual));
  ["eql", "eqls"].forEach((n) => addMethod(n, assertEql));

  function measured(self) {
    if (self._flags.doLength) {
      const o = self._obj;
      const n = o instanceof Map || o instanceof Set ? o.size : o.length;
      return { value: n, text: "#{this} to have a length " };
    }
    return { value: self._obj, text: "#{this} to be " };
  }
  function compare(word, test) {
    return function (n, msg) {
      if (msg) this._flags.message = msg;
      const m = measured(this);
      const suffix = this._flags.doLength ? " but got " + m.value : "";
      this.assert(test(m.value, n), "expected " + m.text + word + " " + inspect(n) + suffix, "expected " + m.text.replace(" to ", " to not ") + word + " " + inspect(n), n, m.value);
    };
  }
  const above = compare("above", (a, b) => a > b);
  const least = compare("at least", (a, b) => a >= b);
  const below = compare("below", (a, b) => a < b);
  const most = compare("at most", (a, b) => a <= b);
  ["above", "gt", "greaterThan"].forEach((n) => addMethod(n, above));
  ["least", "gte", "greaterThanOrEqual"].forEach((n) => addMethod(n, least));
  ["below", "lt", "lessThan"].forEach((n) => addMethod(n, below));
  ["most", "lte", "lessThanOrEqual"].forEach((n) => addMethod(n, most));
  addMethod("within", function (lo, hi, msg) {
    if (msg) this._flags.message = msg;
    const m = measured(this);
    const range = inspect(lo) + ".." + inspect(hi);
    this.assert(m.value >= lo && m.value <= hi, "expected " + m.text + "within " + range, "expected " + m.text.replace(" to ", " to not ") + "within " + range);
  });

  function lengthOf(n, msg) {
    if (msg) this._flags.message = msg;
    const o = this._obj;
    const len = o instanceof Map || o instanceof Set ? o.size : o === null || o === undefined ? undefined : o.length;
    this.assert(len === n, "expected #{this} to have a length of #{exp} but got " + len, "expected #{this} to not have a length of #{exp}", n, len);
  }
  const markLength = function () {
    this._flags.doLength = true;
  };
  addChainable("length", lengthOf, markLength);
  addChainable("lengthOf", lengthOf, markLength);

  function property(name, val) {
    const o = this._obj;
    const hasValue = arguments.length > 1;
    let got;
    if (this._flags.nested) got = pg.getPath(o, name);
    else if (o === null || o === undefined) got = { exists: false, value: undefined };
    else if (this._flags.own) got = { exists: pg.hasOwn(o, name), value: o[name] };
    else got = { exists: name in Object(o), value: o[name] };
    const words = (this._flags.deep ? "deep " : "") + (this._flags.nested ? "nested " : "") + (this._flags.own ? "own " : "");
    const eq = this._flags.deep ? deepEqual(got.value, val) : got.value === val;
    if (!hasValue || !this._flags.negate) {
      this.assert(got.exists, "expected #{this} to have " + words + "property " + inspect(name), "expected #{this} to not have " + words + "property " + inspect(name));
    }
    if (hasValue) {
      this.assert(got.exists && eq, "expected #{this} to have " + words + "property " + inspect(name) + " of #{exp}, but got #{act}", "expected #{this} to not have " + words + "property " + inspect(name) + " of #{act}", val, got.value);
    }
    const next = new Assertion(got.value, this._flags.message);
    return next;
  }
  addMethod("property", property);
  addMethod("ownProperty", function (name) {
    this._flags.own = true;
    return property.apply(this, arguments);
  });
  addMethod("haveOwnProperty", P.ownProperty);
  addMethod("nestedProperty", function () {
    this._flags.nested = true;
    return property.apply(this, arguments);
  });

  addMethod("keys", function (keys) {
    const o = this._obj;
    if (!Array.isArray(keys)) {
      keys = arguments.length > 1 || typeof keys !== "object" || keys === null ? Array.prototype.slice.call(arguments) : Object.keys(keys);
    }
    keys = keys.map(String);
    const actual = o instanceof Map ? Array.from(o.keys()).map(String) : Object.keys(Object(o));
    let ok;
    if (this._flags.any) ok = keys.some((k) => actual.indexOf(k) >= 0);
    else {
      ok = keys.every((k) => actual.indexOf(k) >= 0);
      if (!this._flags.contains) ok = ok && keys.length === actual.length;
    }
    const list = keys.map((k) => inspect(k)).join(", ");
    const verb = this._flags.any ? "have any of keys " : this._flags.contains ? "contain keys " : "have keys ";
    this.assert(ok, "expected #{this} to " + verb + list, "expected #{this} to not " + verb + list, keys, actual);
  });
  addMethod("key", P.keys);

  addMethod("members", function (set, msg) {
    if (msg) this._flags.message = msg;
    const o = this._obj;
    const eq = this._flags.deep ? (a, b) => deepEqual(a, b) : (a, b) => a === b;
    const contains = (arr, x) => arr.some((y) => eq(x, y));
    let ok;
    if (this._flags.contains) ok = set.every((x) => contains(o, x));
    else if (this._flags.ordered) ok = o.length === set.length && set.every((x, i) => eq(o[i], x));
    else ok = o.length === set.length && set.every((x) => contains(o, x)) && o.every((x) => contains(set, x));
    const word = this._flags.contains ? "be a superset of" : this._flags.ordered ? "have the same ordered members as" : "have the same members as";
    this.assert(ok, "expected #{this} to " + word + " #{exp}", "expected #{this} to not " + word + " #{exp}", set);
  });

  addMethod("oneOf", function (list, msg) {
    if (msg) this._flags.message = msg;
    const o = this._obj;
    const ok = list.some((x) => (this._flags.deep ? deepEqual(x, o) : x === o));
    this.assert(ok, "expected #{this} to be one of #{exp}", "expected #{this} to not be one of #{exp}", list);
  });
  addMethod("match", function (re, msg) {
    if (msg) this._flags.message = msg;
    this.assert(re.exec(this._obj) !== null, "expected #{this} to match " + re, "expected #{this} not to match " + re);
  });
  addMethod("matches", P.match);
  addMethod("string", function (s, msg) {
    if (msg) this._flags.message = msg;
    this.assert(String(this._obj).indexOf(s) >= 0, "expected #{this} to contain #{exp}", "expected #{this} to not contain #{exp}", s);
  });
  function instanceOf(C, msg) {
    if (msg) this._flags.message = msg;
    const name = (C && C.name) || "constructor";
    this.assert(this._obj instanceof C, "expected #{this} to be an instance of " + name, "expected #{this} to not be an instance of " + name);
  }
  addMethod("instanceof", instanceOf);
  addMethod("instanceOf", instanceOf);
  function closeTo(expected, delta, msg) {
    if (msg) this._flags.message = msg;
    this.assert(Math.abs(this._obj - expected) <= delta, "expected #{this} to be close to " + expected + " +/- " + delta, "expected #{this} not to be close to " + expected + " +/- " + delta);
  }
  addMethod("closeTo", closeTo);
  addMethod("approximately", closeTo);
  function satisfy(fn, msg) {
    if (msg) this._flags.message = msg;
    this.assert(!!fn(this._obj), "expected #{this} to satisfy " + inspect(fn), "expected #{this} to not satisfy " + inspect(fn), true, false);
  }
  addMethod("satisfy", satisfy);
  addMethod("satisfies", satisfy);
  function throws(errLike, errMsg) {
    let thrown = null;
    let didThrow = false;
    try {
      this._obj();
    } catch (e) {
      didThrow = true;
      thrown = e;
    }
    if (typeof errLike === "string" || errLike instanceof RegExp) {
      errMsg = errLike;
      errLike = undefined;
    }
    let ok = didThrow;
    let what = "to throw an error";
    if (ok && typeof errLike === "function") {
      ok = thrown instanceof errLike;
      what = "to throw " + (errLike.name || "error");
    }
    if (ok && errMsg !== undefined) {
      const m = thrown && thrown.message !== undefined ? String(thrown.message) : String(thrown);
      ok = errMsg instanceof RegExp ? errMsg.test(m) : m.indexOf(errMsg) >= 0;
      what += " including " + inspect(errMsg);
    }
    this._flags._subjectText = "[Function" + (this._obj && this._obj.name ? ": " + this._obj.name : "") + "]";
    this.assert(ok, "expected #{this} " + what, "expected #{this} not " + what);
  }
  ["throw", "throws", "Throw"].forEach((n) => addMethod(n, throws));
  addMethod("fail", function (msg) {
    throw new AssertionError(msg || "assert.fail()");
  });

  function expect(val, message) {
    return new Assertion(val, message);
  }
  expect.fail = function (actual, expected, message) {
    if (arguments.length < 2) {
      message = actual;
      actual = undefined;
    }
    throw new AssertionError(message === undefined ? "expect.fail()" : String(message), { actual: actual, expected: expected });
  };
  pg.expect = expect;
})(globalThis.__pg);
