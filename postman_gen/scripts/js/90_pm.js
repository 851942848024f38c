// The `pm` API and Postman's legacy globals, built fresh for every script run.  Python drives a run
// through __pg.begin / __pg.invoke / __pg.pendingRequests / __pg.deliver / __pg.runTimer / __pg.finish,
// exchanging JSON strings only: the sandbox holds no handle to anything outside itself.
"use strict";
(function (pg) {
  const PropertyList = pg.PropertyList;
  let S = null; // the state of the current run

  const errorText = (e) => {
    if (e instanceof pg.AssertionError) return e.message;
    if (e instanceof Error) return e.name + ": " + e.message;
    return String(e);
  };

  // ---- variable scopes -------------------------------------------------
  class VariableScope {
    constructor(pairs, name) {
      this._m = new Map(pairs || []);
      Object.defineProperty(this, "_name", { value: name, enumerable: false });
    }
    get(k) {
      return this._m.get(String(k));
    }
    set(k, v) {
      this._m.set(String(k), v);
    }
    unset(k) {
      this._m.delete(String(k));
    }
    has(k) {
      return this._m.has(String(k));
    }
    clear() {
      this._m.clear();
    }
    toObject() {
      return Object.fromEntries(this._m);
    }
    toJSON() {
      return Array.from(this._m, ([key, value]) => ({ key: key, value: value }));
    }
    replaceIn(s) {
      return replaceVariables(s, (name) => (this._m.has(name) ? { found: true, value: this._m.get(name) } : { found: false }));
    }
    get values() {
      return new PropertyList(this.toJSON());
    }
    get name() {
      return this._name;
    }
  }
  const DYNAMIC = {
    $guid: () => pg.uuidV4(),
    $randomUUID: () => pg.uuidV4(),
    $timestamp: () => String(Math.floor(Date.now() / 1000)),
    $isoTimestamp: () => new Date().toISOString(),
    $randomInt: () => String(Math.floor(Math.random() * 1001)),
    $randomBoolean: () => String(Math.random() < 0.5),
  };
  function replaceVariables(s, lookup) {
    if (typeof s !== "string") return s;
    let out = s;
    for (let depth = 0; depth < 20; depth++) {
      let changed = false;
      out = out.replace(/\{\{([^{}]+)\}\}/g, (m, name) => {
        const hit = lookup(name);
        if (hit.found) {
          changed = true;
          const v = hit.value;
          return v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
        }
        if (DYNAMIC[name]) {
          changed = true;
          return DYNAMIC[name]();
        }
        return m;
      });
      if (!changed) break;
    }
    return out;
  }
  const PRECEDENCE = ["local", "data", "environment", "collection", "globals"];
  function resolveVar(name) {
    name = String(name);
    for (const s of PRECEDENCE) if (S.scopes[s]._m.has(name)) return { found: true, value: S.scopes[s]._m.get(name) };
    return { found: false };
  }
  function makeVariables() {
    const local = S.scopes.local;
    return {
      get: (k) => resolveVar(k).value,
      set: (k, v) => local.set(k, v),
      has: (k) => resolveVar(k).found,
      unset: (k) => local.unset(k),
      clear: () => local.clear(),
      toObject: () => {
        const o = {};
        PRECEDENCE.slice().reverse().forEach((s) => Object.assign(o, S.scopes[s].toObject()));
        return o;
      },
      replaceIn: (s) => replaceVariables(s, resolveVar),
    };
  }

  // ---- URL -------------------------------------------------------------
  const URL_RE = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?(?:([^@/?#]*)@)?((?:\{\{[^}]*\}\}|[^/?#:])*)(?::(\{\{[^}]*\}\}|\d*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;
  function parseQuery(q) {
    if (q === undefined || q === null || q === "") return [];
    return String(q)
      .split("&")
      .map((part) => {
        const i = part.indexOf("=");
        return i < 0 ? { key: part, value: null } : { key: part.slice(0, i), value: part.slice(i + 1) };
      });
  }
  class Url {
    constructor(raw) {
      this.update(raw);
    }
    update(raw) {
      if (raw && typeof raw === "object") raw = raw.raw !== undefined ? raw.raw : String(raw);
      const m = URL_RE.exec(String(raw === undefined || raw === null ? "" : raw).trim()) || [];
      this.protocol = m[1];
      const auth = m[2];
      this.auth = auth === undefined ? undefined : { user: auth.split(":")[0], password: auth.split(":").slice(1).join(":") };
      this.host = m[3] ? m[3].split(".") : [];
      this.port = m[4];
      this.path = m[5] ? m[5].replace(/^\//, "").split("/") : [];
      this.query = new PropertyList(parseQuery(m[6]));
      this.hash = m[7];
      this.variables = new PropertyList([]);
    }
    getHost() {
      return this.host.join(".");
    }
    getPath(unresolved) {
      const vars = this.variables;
      const parts = this.path.map((p) => (!unresolved && p[0] === ":" && vars.has(p.slice(1)) ? vars.get(p.slice(1)) : p));
      return "/" + parts.join("/");
    }
    getQueryString() {
      return this.query.members
        .filter((q) => !q.disabled)
        .map((q) => (q.value === null || q.value === undefined ? q.key : q.key + "=" + q.value))
        .join("&");
    }
    getPathWithQuery() {
      const q = this.getQueryString();
      return this.getPath() + (q ? "?" + q : "");
    }
    getRemote() {
      return this.getHost() + (this.port ? ":" + this.port : "");
    }
    getRaw() {
      return this.toString();
    }
    addQueryParams(params) {
      (typeof params === "string" ? parseQuery(params) : params).forEach((p) => this.query.add(p));
    }
    removeQueryParams(keys) {
      (Array.isArray(keys) ? keys : [keys]).forEach((k) => this.query.remove(typeof k === "object" ? k.key : k));
    }
    toString() {
      let s = this.protocol ? this.protocol + "://" : "";
      if (this.auth && (this.auth.user || this.auth.password)) s += this.auth.user + (this.auth.password ? ":" + this.auth.password : "") + "@";
      s += this.getHost();
      if (this.port) s += ":" + this.port;
      if (this.path.length) s += "/" + this.path.join("/");
      const q = this.getQueryString();
      if (q) s += "?" + q;
      if (this.hash) s += "#" + this.hash;
      return s;
    }
    toJSON() {
      return { raw: this.toString(), protocol: this.protocol, host: this.host, port: this.port, path: this.path, query: this.query.toJSON() };
    }
  }
  pg.Url = Url;

  // ---- request ---------------------------------------------------------
  const formEncode = (s) => encodeURIComponent(String(s)).replace(/%20/g, "+");
  const formDecode = (s) => {
    try {
      return decodeURIComponent(String(s).replace(/\+/g, " "));
    } catch (e) {
      return String(s);
    }
  };
  class RequestBody {
    constructor(mode, text) {
      this.update({ mode: mode, raw: text });
    }
    update(opts) {
      if (typeof opts === "string") opts = { mode: "raw", raw: opts };
      opts = opts || {};
      this.mode = opts.mode || (opts.urlencoded ? "urlencoded" : opts.formdata ? "formdata" : "raw");
      this.raw = this.mode === "raw" ? (opts.raw === undefined || opts.raw === null ? "" : String(opts.raw)) : undefined;
      let encoded = opts.urlencoded;
      if (this.mode === "urlencoded" && encoded === undefined && typeof opts.raw === "string")
        encoded = parseQuery(opts.raw).map((p) => ({ key: formDecode(p.key), value: formDecode(p.value === null ? "" : p.value) }));
      this.urlencoded = new PropertyList(encoded instanceof PropertyList ? encoded.members : encoded || []);
      this.formdata = new PropertyList(opts.formdata instanceof PropertyList ? opts.formdata.members : opts.formdata || []);
      this.options = opts.options;
      this.graphql = opts.graphql;
    }
    isEmpty() {
      return this.toString() === "";
    }
    toString() {
      if (this.mode === "urlencoded") return this.urlencoded.members.filter((p) => !p.disabled).map((p) => formEncode(p.key) + "=" + formEncode(p.value === undefined || p.value === null ? "" : p.value)).join("&");
      if (this.mode === "raw") return this.raw || "";
      if (this.mode === "graphql" && this.graphql) return JSON.stringify(this.graphql);
      return "";
    }
    toJSON() {
      return { mode: this.mode, raw: this.raw, urlencoded: this.urlencoded.toJSON(), formdata: this.formdata.toJSON() };
    }
  }
  class Request {
    constructor(r) {
      this._url = new Url(r.url);
      this.method = r.method;
      this.headers = new PropertyList(r.headers.map(([k, v]) => ({ key: k, value: v })), true);
      this.body = r.body === null || r.body === undefined ? undefined : new RequestBody(r.bodyMode || "raw", r.body);
      this.name = r.name;
      this.id = r.id;
      this.auth = undefined;
    }
    get url() {
      return this._url;
    }
    set url(v) {
      this._url = v instanceof Url ? v : new Url(v);
    }
    addHeader(h) {
      this.headers.add(h);
    }
    upsertHeader(h) {
      this.headers.upsert(h);
    }
    removeHeader(h) {
      this.headers.remove(h);
    }
    getHeaders(opts) {
      const o = {};
      this.headers.members.forEach((h) => {
        if (!(opts && opts.enabled && h.disabled)) o[opts && opts.ignoreCase ? h.key.toLowerCase() : h.key] = h.value;
      });
      return o;
    }
    addQueryParams(p) {
      this._url.addQueryParams(p);
    }
    removeQueryParams(p) {
      this._url.removeQueryParams(p);
    }
    toJSON() {
      return { url: this._url.toString(), method: this.method, header: this.headers.toJSON(), body: this.body ? this.body.toJSON() : undefined };
    }
  }
  function requestOut(req) {
    const body = req.body instanceof RequestBody ? req.body : req.body === undefined || req.body === null ? undefined : new RequestBody("raw", String(req.body));
    return {
      method: String(req.method || "GET"),
      url: String(req.url),
      headers: req.headers.members.filter((h) => !h.disabled).map((h) => [String(h.key), h.value === undefined || h.value === null ? "" : String(h.value)]),
      body: body ? body.toString() : null,
      bodyMode: body ? body.mode : null,
    };
  }

  // ---- response --------------------------------------------------------
  class Response {
    constructor(r) {
      this.code = r.code;
      this.status = r.status;
      this.headers = new PropertyList(r.headers.map(([k, v]) => ({ key: k, value: v })), true);
      this.responseTime = r.responseTime;
      this.responseSize = r.size;
      this._body = r.body;
      this.cookies = new PropertyList(
        r.headers.filter(([k]) => k.toLowerCase() === "set-cookie").map(([, v]) => {
          const first = v.split(";")[0];
          const i = first.indexOf("=");
          return { key: first.slice(0, i).trim(), name: first.slice(0, i).trim(), value: first.slice(i + 1).trim() };
        }),
        false
      );
    }
    text() {
      return this._body;
    }
    json(reviver) {
      return JSON.parse(this._body, reviver);
    }
    reason() {
      return this.status;
    }
    size() {
      return { body: this.responseSize, header: 0, total: this.responseSize };
    }
    get stream() {
      return pg.Buffer.from(this._body);
    }
    get to() {
      return new pg.Assertion(this).to;
    }
    get be() {
      return new pg.Assertion(this).be;
    }
    get have() {
      return new pg.Assertion(this).have;
    }
    get not() {
      return new pg.Assertion(this).not;
    }
    toJSON() {
      return { code: this.code, status: this.status, header: this.headers.toJSON(), responseTime: this.responseTime };
    }
  }
  pg.Response = Response;
  addResponseAssertions();

  function addResponseAssertions() {
    const isResp = (o) => o instanceof Response;
    const codeIs = (name, test, what) => {
      const base = Object.getOwnPropertyDescriptor(pg.Assertion.prototype, name);
      pg.addProperty(name, function () {
        if (!isResp(this._obj)) {
          if (base) return base.get.call(this);
          throw new TypeError("'" + name + "' is only available on a response");
        }
        const c = this._obj.code;
        this.assert(test(c), "expected response code to be " + what + " but found " + c, "expected response code to not be " + what + " but found " + c);
      });
    };
    const exact = (n) => (c) => c === n;
    const range = (lo) => (c) => c >= lo && c < lo + 100;
    codeIs("ok", exact(200), "200");
    codeIs("accepted", exact(202), "202");
    codeIs("info", range(100), "1XX");
    codeIs("success", range(200), "2XX");
    codeIs("redirection", range(300), "3XX");
    codeIs("clientError", range(400), "4XX");
    codeIs("serverError", range(500), "5XX");
    codeIs("error", (c) => c >= 400 && c < 600, "4XX or 5XX");
    codeIs("badRequest", exact(400), "400");
    codeIs("unauthorized", exact(401), "401");
    codeIs("forbidden", exact(403), "403");
    codeIs("notFound", exact(404), "404");
    codeIs("notAcceptable", exact(406), "406");
    codeIs("rateLimited", exact(429), "429");
    pg.addProperty("withBody", function () {
      this.assert(isResp(this._obj) && this._obj.text() !== "", "expected response to have content in body", "expected response to not have content in body");
    });
    const bodyType = (name, test, label) =>
      pg.addProperty(name, function () {
        if (!isResp(this._obj)) throw new TypeError("'" + name + "' is only available on a response");
        const r = test(this._obj);
        this.assert(r.ok, "expected response body to be " + label + r.why, "expected response body not to be " + label);
      });
    const contentType = (r) => String(r.headers.get("content-type") || "").toLowerCase();
    bodyType("json", (r) => {
      try {
        JSON.parse(r.text());
        return { ok: true, why: "" };
      } catch (e) {
        return { ok: false, why: " but got error " + e.message };
      }
    }, "a valid json");
    bodyType("html", (r) => ({ ok: contentType(r).indexOf("html") >= 0, why: "" }), "html");
    bodyType("xml", (r) => ({ ok: contentType(r).indexOf("xml") >= 0, why: "" }), "xml");
    pg.addMethod("status", function (s) {
      const r = this._obj;
      if (!isResp(r)) throw new TypeError("'status' is only available on a response");
      if (typeof s === "number") {
        this.assert(r.code === s, "expected response to have status code " + s + " but got " + r.code, "expected response to not have status code " + s);
      } else {
        this.assert(r.status === s, "expected response to have status reason '" + s + "' but got '" + r.status + "'", "expected response to not have status reason '" + s + "'");
      }
    });
    pg.addMethod("statusCode", pg.Assertion.prototype.status);
    pg.addMethod("statusCodeClass", function (cls) {
      const c = this._obj.code;
      this.assert(Math.floor(c / 100) === cls, "expected response code to be " + cls + "XX but found " + c, "expected response code to not be " + cls + "XX");
    });
    pg.addMethod("header", function (name, value) {
      const r = this._obj;
      if (!isResp(r)) throw new TypeError("'header' is only available on a response");
      const has = r.headers.has(name);
      if (value === undefined || this._flags.negate) {
        if (value === undefined) this.assert(has, "expected response to have header with key '" + name + "'", "expected response to not have header with key '" + name + "'");
      }
      if (value !== undefined) {
        const got = r.headers.get(name);
        this.assert(has && got === value, "expected '" + name + "' response header to be '" + value + "' but got '" + got + "'", "expected '" + name + "' response header to not be '" + value + "'");
      }
    });
    pg.addMethod("body", function (expected) {
      const r = this._obj;
      if (!isResp(r)) throw new TypeError("'body' is only available on a response");
      const text = r.text();
      if (arguments.length === 0) return this.assert(text !== "", "expected response to have content in body", "expected response to not have content in body");
      if (expected instanceof RegExp) return this.assert(expected.test(text), "expected response body text to match " + expected, "expected response body text to not match " + expected);
      if (typeof expected === "string") return this.assert(text === expected, "expected response body to equal " + pg.inspect(expected) + " but got " + pg.inspect(text), "expected response body to not equal " + pg.inspect(expected));
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        parsed = undefined;
      }
      return this.assert(pg.deepEqual(parsed, expected), "expected response body json to equal " + pg.inspect(expected) + " but got " + pg.inspect(parsed), "expected response body json to not equal " + pg.inspect(expected));
    });
    pg.addMethod("jsonBody", function (path, value) {
      const r = this._obj;
      if (!isResp(r)) throw new TypeError("'jsonBody' is only available on a response");
      let parsed;
      let ok = true;
      try {
        parsed = JSON.parse(r.text());
      } catch (e) {
        ok = false;
      }
      if (arguments.length === 0) return this.assert(ok, "expected response body to be a valid json", "expected response body not to be a valid json");
      if (typeof path === "object" && path !== null) return this.assert(ok && pg.deepEqual(parsed, path), "expected response body json to equal " + pg.inspect(path) + " but got " + pg.inspect(parsed), "expected response body json to not equal " + pg.inspect(path));
      const got = ok ? pg.getPath(parsed, path) : { exists: false };
      if (arguments.length === 1) return this.assert(got.exists, "expected " + pg.inspect(parsed) + " in response to contain property " + pg.inspect(path), "expected " + pg.inspect(parsed) + " in response to not contain property " + pg.inspect(path));
      return this.assert(got.exists && pg.deepEqual(got.value, value), "expected response body json at " + pg.inspect(path) + " to contain " + pg.inspect(value) + " but got " + pg.inspect(got.value), "expected response body json at " + pg.inspect(path) + " to not contain " + pg.inspect(value));
    });
    pg.addMethod("jsonSchema", function () {
      throw new Error("to.have.jsonSchema is not supported in the postman-gen sandbox");
    });
    pg.addMethod("responseTime", function (ms) {
      this.assert(this._obj.responseTime === ms, "expected response time to be " + ms + " but got " + this._obj.responseTime, "expected response time to not be " + ms);
    });
  }

  // ---- tests, console, timers, sendRequest -----------------------------
  function recordError(e) {
    if (S.error) return;
    S.error = {
      name: e && e.name ? String(e.name) : "Error",
      message: e instanceof Error ? String(e.message) : String(e),
      stack: e && e.stack ? String(e.stack) : "",
      thrown: !(e instanceof Error),
    };
  }
  function runTest(name, fn) {
    const rec = { name: String(name), passed: false, skipped: false, error: null, pending: false };
    S.tests.push(rec);
    const settle = (err) => {
      rec.pending = false;
      rec.passed = !err;
      rec.error = err ? errorText(err) : null;
      if (err && !(err instanceof pg.AssertionError) && err.stack) rec.stack = String(err.stack);
    };
    if (typeof fn !== "function") {
      rec.passed = true;
      return;
    }
    try {
      if (fn.length > 0) {
        rec.pending = true;
        fn((err) => settle(err || null));
        return;
      }
      const r = fn();
      if (r && typeof r.then === "function") {
        rec.pending = true;
        r.then(() => settle(null), (err) => settle(err || new Error("rejected")));
      } else settle(null);
    } catch (e) {
      settle(e);
    }
  }
  function makeTest() {
    const test = function (name, fn) {
      runTest(name, fn);
      return S.pm;
    };
    test.skip = function (name) {
      S.tests.push({ name: String(name), passed: false, skipped: true, error: null, pending: false });
      return S.pm;
    };
    test.index = () => S.tests.length;
    return test;
  }
  function makeConsole() {
    const c = {};
    ["log", "info", "warn", "error", "debug", "trace"].forEach((level) => {
      c[level] = function () {
        if (S.console.length < 5000) S.console.push([level === "trace" ? "debug" : level, pg.formatArgs(arguments)]);
      };
    });
    c.dir = c.log;
    c.table = c.log;
    c.assert = function (cond, ...rest) {
      if (!cond) c.error("Assertion failed" + (rest.length ? ": " + pg.formatArgs(rest) : ""));
    };
    c.clear = c.time = c.timeEnd = c.group = c.groupEnd = c.count = function () {};
    return c;
  }
  function addTimer(fn, delay, args, interval) {
    if (typeof fn !== "function") return 0;
    const id = ++S.timerSeq;
    const ms = Math.max(0, Number(delay) || 0);
    S.timers.push({ id: id, at: S.now + ms, seq: id, fn: fn, args: args, interval: interval ? Math.max(1, ms) : 0 });
    return id;
  }
  const clearTimer = (id) => {
    S.timers = S.timers.filter((t) => t.id !== id);
  };

  function headerPairs(h) {
    if (!h) return [];
    if (h instanceof PropertyList) h = h.members;
    if (typeof h === "string") return h.split("\n").filter((l) => l.indexOf(":") > 0).map((l) => [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()]);
    if (Array.isArray(h)) return h.filter((x) => x && !x.disabled).map((x) => [String(x.key), String(x.value === undefined ? "" : x.value)]);
    return Object.keys(h).map((k) => [k, String(h[k])]);
  }
  function normalizeOutgoing(req) {
    if (typeof req === "string" || req instanceof Url) return { url: String(req), method: "GET", headers: [], body: null, body_mode: null, form: [] };
    req = req || {};
    const url = req.url instanceof Url ? req.url.toString() : req.url && typeof req.url === "object" ? req.url.raw || String(req.url) : String(req.url || "");
    const out = { url: url, method: String(req.method || "GET").toUpperCase(), headers: headerPairs(req.header || req.headers), body: null, body_mode: null, form: [] };
    const b = req.body;
    if (b instanceof RequestBody) {
      out.body_mode = b.mode;
      out.body = b.toString();
    } else if (typeof b === "string") {
      out.body_mode = "raw";
      out.body = b;
    } else if (b && typeof b === "object") {
      out.body_mode = b.mode || "raw";
      const list = (v) => (Array.isArray(v) ? v : v instanceof PropertyList ? v.members : v && typeof v === "object" ? Object.keys(v).map((k) => ({ key: k, value: v[k] })) : []);
      if (out.body_mode === "urlencoded" || out.body_mode === "formdata") {
        out.form = list(b[out.body_mode]).filter((p) => !p.disabled).map((p) => [String(p.key), String(p.value === undefined ? "" : p.value)]);
        out.body = out.body_mode === "urlencoded" ? out.form.map(([k, v]) => formEncode(k) + "=" + formEncode(v)).join("&") : null;
      } else if (out.body_mode === "graphql") out.body = JSON.stringify(b.graphql || {});
      else out.body = b.raw === undefined ? null : typeof b.raw === "string" ? b.raw : JSON.stringify(b.raw);
    }
    return out;
  }
  function sendRequest(req, cb) {
    const entry = { id: ++S.requestSeq, request: normalizeOutgoing(req), cb: typeof cb === "function" ? cb : null };
    S.requests.push(entry);
    if (entry.cb) return undefined;
    return new Promise((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
    });
  }

  // ---- require ---------------------------------------------------------
  function makeRequire() {
    const MODULES = {
      lodash: () => pg.lodash,
      uuid: () => pg.uuid,
      moment: () => pg.moment,
      xml2js: () => pg.xml2js,
      "crypto-js": () => pg.CryptoJS,
      buffer: () => ({ Buffer: pg.Buffer }),
      atob: () => globalThis.atob,
      btoa: () => globalThis.btoa,
      chai: () => ({ expect: pg.expect, AssertionError: pg.AssertionError }),
    };
    return function require(name) {
      const key = String(name).replace(/^(npm|jsr):/, "").replace(/(.)@[^/]*$/, "$1");
      if (Object.prototype.hasOwnProperty.call(MODULES, key)) return MODULES[key]();
      if (/^(npm|jsr):|^@[^/]+\//.test(String(name))) return unavailableModule(String(name));
      throw new Error("module " + name + " is not available in the sandbox");
    };
  }
  // External packages (npm:, jsr:, @team/package) load as a stand-in that fails when used rather
  // than when required, so a shared helper script that only mentions one still defines its helpers.
  function unavailableModule(name) {
    const fail = () => {
      throw new Error("module " + name + " is not available in the sandbox");
    };
    const handler = {
      get: (target, prop) => (prop === "then" || typeof prop === "symbol" ? undefined : stub),
      apply: fail,
      construct: fail,
    };
    const stub = new Proxy(function () {}, handler);
    return stub;
  }

  // ---- building the pm object and legacy globals ------------------------
  function makePm(st) {
    const scopes = S.scopes;
    const pm = {
      info: {
        eventName: st.event,
        iteration: st.iteration,
        iterationCount: st.iterationCount,
        requestName: st.itemName,
        requestId: st.itemId,
      },
      variables: makeVariables(),
      environment: scopes.environment,
      collectionVariables: scopes.collection,
      globals: scopes.globals,
      iterationData: scopes.data,
      request: S.request,
      cookies: new PropertyList(st.cookies.map(([k, v]) => ({ key: k, name: k, value: v }))),
      test: makeTest(),
      expect: pg.expect,
      sendRequest: sendRequest,
      require: makeRequire(),
      visualizer: { set: function () {}, clear: function () {} },
      vault: { get: () => Promise.resolve(undefined), set: () => Promise.resolve(), unset: () => Promise.resolve() },
      setNextRequest: (name) => {
        S.nextRequest = name === undefined ? null : name;
      },
      execution: {
        setNextRequest: (name) => {
          S.nextRequest = name === undefined ? null : name;
        },
        skipRequest: () => {
          S.skipRequest = true;
        },
        location: Object.assign(st.itemPath.split("/").filter(Boolean), { current: st.itemName }),
        runRequest: () => Promise.reject(new Error("pm.execution.runRequest is not supported by postman-gen")),
      },
    };
    if (S.response) pm.response = S.response;
    return pm;
  }
  function legacyGlobals(st, pm) {
    const r = S.request;
    const g = {
      pm: pm,
      postman: makePostman(),
      console: S.consoleApi,
      require: pm.require,
      _: pg.lodash,
      CryptoJS: pg.CryptoJS,
      Buffer: pg.Buffer,
      crypto: pg.webCrypto,
      xml2Json: pg.xml2Json,
      tests: {},
      setTimeout: (fn, ms, ...args) => addTimer(fn, ms, args, false),
      setInterval: (fn, ms, ...args) => addTimer(fn, ms, args, true),
      setImmediate: (fn, ...args) => addTimer(fn, 0, args, false),
      clearTimeout: clearTimer,
      clearInterval: clearTimer,
      clearImmediate: clearTimer,
      environment: S.scopes.environment.toObject(),
      globals: S.scopes.globals.toObject(),
      data: S.scopes.data.toObject(),
      iteration: st.iteration,
      request: {
        url: r.url.toString(),
        method: r.method,
        headers: r.getHeaders(),
        data: r.body ? (r.body.mode === "urlencoded" ? r.body.urlencoded.toObject() : r.body.toString()) : {},
        name: st.itemName,
        id: st.itemId,
      },
    };
    if (S.response) {
      const resp = S.response;
      Object.assign(g, {
        responseBody: resp.text(),
        responseCode: { code: resp.code, name: resp.status, detail: resp.status },
        responseHeaders: resp.headers.toObject(),
        responseTime: resp.responseTime,
        responseCookies: resp.cookies.members.map((c) => ({ name: c.key, value: c.value })),
      });
    }
    return g;
  }
  function makePostman() {
    const env = S.scopes.environment;
    const glob = S.scopes.globals;
    return {
      setEnvironmentVariable: (k, v) => env.set(k, v),
      getEnvironmentVariable: (k) => env.get(k),
      clearEnvironmentVariable: (k) => env.unset(k),
      clearEnvironmentVariables: () => env.clear(),
      setGlobalVariable: (k, v) => glob.set(k, v),
      getGlobalVariable: (k) => glob.get(k),
      clearGlobalVariable: (k) => glob.unset(k),
      clearGlobalVariables: () => glob.clear(),
      setNextRequest: (name) => {
        S.nextRequest = name === undefined ? null : name;
      },
      getResponseHeader: (name) => (S.response ? S.response.headers.get(name) : undefined),
      getResponseCookie: (name) => {
        const c = S.response ? S.response.cookies.one(name) : undefined;
        return c ? { name: c.key, value: c.value } : undefined;
      },
    };
  }

  // Postman's legacy sandbox adds String.prototype.has (used as `responseBody.has("text")`).
  Object.defineProperty(String.prototype, "has", {
    value: function (needle) {
      return this.indexOf(needle) > -1;
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });

  // The bridge's JSON, as it was before any script ran (a script may replace JSON.stringify).
  const pristineStringify = JSON.stringify;
  const pristineParse = JSON.parse;
  let installed = [];
  pg.begin = function (json) {
    const st = JSON.parse(json);
    // Globals a previous script of this run created (`utils = ...` without a declaration) stay
    // visible, as in Postman, where collection-level scripts share helpers this way.
    S = {
      scopes: {
        globals: new VariableScope(st.scopes.globals, "globals"),
        collection: new VariableScope(st.scopes.collection, "collection"),
        environment: new VariableScope(st.scopes.environment, "environment"),
        data: new VariableScope(st.scopes.data, "data"),
        local: new VariableScope(st.scopes.local, "local"),
      },
      tests: [],
      console: [],
      error: null,
      nextRequest: undefined,
      skipRequest: false,
      timers: [],
      timerSeq: 0,
      timerRuns: 0,
      now: 0,
      requests: [],
      requestSeq: 0,
      waiting: {},
    };
    S.request = new Request(Object.assign({}, st.request, { name: st.itemName, id: st.itemId }));
    S.response = st.response ? new Response(st.response) : null;
    S.consoleApi = makeConsole();
    S.pm = makePm(st);
    const g = legacyGlobals(st, S.pm);
    // Drop the previous run's legacy globals that this event does not define (responseBody in a pre-request).
    installed.forEach((k) => {
      if (!(k in g)) delete globalThis[k];
    });
    installed = Object.keys(g);
    installed.forEach((k) => {
      globalThis[k] = g[k];
    });
    S.testsObject = g.tests;
  };
  // Each script is evaluated as `__pg.invoke(async function () {<script>\n}, "<token>")` with a fresh random
  // token (engine.py). A script that closes that wrapper early and reopens it (`}, x); let y = 1; ...`) runs
  // part of itself at the top level, where a `let`/`const` binding outlives the request's scrub; it cannot
  // know the token, so its first call here is stray. contained() tells the engine, which then gives the
  // next request a fresh context instead of this one.
  let token = null;
  let invoked = 0;
  let stray = false;
  pg.arm = function (t) {
    token = t;
    invoked = 0;
    stray = false;
  };
  pg.contained = function () {
    return invoked === 1 && !stray;
  };
  pg.invoke = function (fn, t) {
    if (t !== token || invoked++ !== 0) stray = true;
    let p;
    try {
      p = fn.call(globalThis);
    } catch (e) {
      recordError(e);
      return;
    }
    if (p && typeof p.then === "function") p.then(null, recordError);
  };
  // Hand the queued pm.sendRequest calls to Python, which performs them and calls deliver().
  pg.pendingRequests = function () {
    if (S.requests.length === 0) return "[]"; // the usual answer, with no built-in a script could have broken
    const out = S.requests.map((e) => ({ id: e.id, request: e.request }));
    S.requests.forEach((e) => {
      S.waiting[e.id] = e;
    });
    S.requests = [];
    return pristineStringify(out);
  };
  pg.deliver = function (id, json) {
    const e = S.waiting[id];
    delete S.waiting[id];
    const r = pristineParse(json);
    const err = r.error ? new Error(r.error) : null;
    const res = r.error ? undefined : new Response(r.response);
    try {
      if (e.cb) e.cb(err, res);
      else if (err) e.reject(err);
      else e.resolve(res);
    } catch (x) {
      recordError(x);
    }
  };
  pg.runTimer = function (maxRuns) {
    if (!S.timers.length || S.timerRuns >= maxRuns) return false;
    S.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const t = S.timers.shift();
    S.now = t.at;
    S.timerRuns++;
    if (t.interval) S.timers.push(Object.assign({}, t, { at: S.now + t.interval, seq: ++S.timerSeq }));
    try {
      t.fn.apply(globalThis, t.args || []);
    } catch (e) {
      recordError(e);
    }
    return true;
  };
  // undefined as a pair without a value: the Python side keeps it apart from null (substituted as "null")
  const scopeOut = (s) => Array.from(s._m, ([k, v]) => (v === undefined ? [k] : [k, v]));
  pg.finish = function () {
    const assigned = globalThis.tests; // a legacy script may have replaced the tests object itself
    pg.restoreBuiltins(); // no user code runs after this in this context: our code gets pristine built-ins
    const tests = S.tests.map((t) => ({
      name: t.name,
      passed: t.pending ? false : t.passed,
      skipped: t.skipped,
      error: t.pending ? "test did not complete" : t.error,
      stack: t.stack || null,
    }));
    const legacy = assigned === S.testsObject ? S.testsObject : assigned || S.testsObject;
    // Newman checks each legacy test with chai's `expect(value).to.be.ok`: the same failure text.
    const shown = (v) => (typeof v === "string" ? "'" + v + "'" : String(v));
    Object.keys(legacy || {}).forEach((k) => tests.push({ name: k, passed: !!legacy[k], skipped: false, error: legacy[k] ? null : "expected " + shown(legacy[k]) + " to be truthy" }));
    const out = {
      tests: tests,
      console: S.console,
      error: S.error,
      nextRequest: S.nextRequest === undefined ? { unset: true } : { value: S.nextRequest === null || S.nextRequest === false ? null : String(S.nextRequest) },
      skipRequest: S.skipRequest,
      request: requestOut(S.request),
      scopes: {
        globals: scopeOut(S.scopes.globals),
        collection: scopeOut(S.scopes.collection),
        environment: scopeOut(S.scopes.environment),
        data: scopeOut(S.scopes.data),
        local: scopeOut(S.scopes.local),
      },
    };
    return JSON.stringify(out, (k, v) => (typeof v === "bigint" ? String(v) : v));
  };
})(globalThis.__pg);
