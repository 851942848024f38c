// The library subsets Postman's sandbox offers through require(): lodash, uuid, moment.
// Written for postman-gen; they cover what collections call, not the whole libraries.
"use strict";
(function (pg) {
  const hasOwn = pg.hasOwn;

  // ---- lodash ----------------------------------------------------------
  const _ = {};
  const isObjectLike = (v) => v !== null && typeof v === "object";
  const toPath = (p) => (Array.isArray(p) ? p : String(p).replace(/\[(?:'([^']*)'|"([^"]*)"|([^\]]*))\]/g, ".$1$2$3").replace(/^\./, "").split("."));
  function iteratee(f) {
    if (typeof f === "function") return f;
    if (f === undefined || f === null) return (x) => x;
    if (Array.isArray(f)) return (o) => pg.deepEqual(_.get(o, f[0]), f[1]);
    if (typeof f === "object") return (o) => _.isMatch(o, f);
    return (o) => _.get(o, f);
  }
  const collectionValues = (c) => (c === null || c === undefined ? [] : Array.isArray(c) || typeof c === "string" ? Array.from(c) : Object.values(c));
  function eachEntry(c, fn) {
    if (Array.isArray(c) || typeof c === "string") {
      for (let i = 0; i < c.length; i++) if (fn(c[i], i, c) === false) break;
    } else if (c !== null && c !== undefined) {
      for (const k of Object.keys(c)) if (fn(c[k], k, c) === false) break;
    }
    return c;
  }
  _.get = (o, path, dflt) => {
    let cur = o;
    for (const p of toPath(path)) {
      if (cur === null || cur === undefined) return dflt;
      cur = cur[p];
    }
    return cur === undefined ? dflt : cur;
  };
  _.has = (o, path) => {
    let cur = o;
    for (const p of toPath(path)) {
      if (cur === null || cur === undefined || !hasOwn(Object(cur), p)) return false;
      cur = cur[p];
    }
    return true;
  };
  _.set = (o, path, value) => {
    const parts = toPath(path);
    let cur = o;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) cur[p] = value;
      else {
        if (!isObjectLike(cur[p])) cur[p] = /^\d+$/.test(parts[i + 1]) ? [] : {};
        cur = cur[p];
      }
    });
    return o;
  };
  _.unset = (o, path) => {
    const parts = toPath(path);
    const parent = parts.length > 1 ? _.get(o, parts.slice(0, -1)) : o;
    return isObjectLike(parent) ? delete parent[parts[parts.length - 1]] : true;
  };
  _.isEmpty = (v) => {
    if (v === null || v === undefined) return true;
    if (typeof v === "string" || Array.isArray(v)) return v.length === 0;
    if (v instanceof Map || v instanceof Set) return v.size === 0;
    if (typeof v === "object") return Object.keys(v).length === 0;
    return true;
  };
  _.isEqual = (a, b) => pg.deepEqual(a, b);
  _.isMatch = (o, src) => isObjectLike(o) && Object.keys(src).every((k) => (isObjectLike(src[k]) ? _.isMatch(o[k], src[k]) : pg.deepEqual(o[k], src[k])));
  _.matches = (src) => (o) => _.isMatch(o, src);
  _.property = (p) => (o) => _.get(o, p);
  _.isArray = Array.isArray;
  _.isObject = (v) => v !== null && (typeof v === "object" || typeof v === "function");
  _.isObjectLike = isObjectLike;
  _.isPlainObject = (v) => isObjectLike(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
  _.isString = (v) => typeof v === "string";
  _.isNumber = (v) => typeof v === "number";
  _.isFinite = (v) => Number.isFinite(v);
  _.isInteger = (v) => Number.isInteger(v);
  _.isBoolean = (v) => typeof v === "boolean";
  _.isFunction = (v) => typeof v === "function";
  _.isNil = (v) => v === null || v === undefined;
  _.isNull = (v) => v === null;
  _.isUndefined = (v) => v === undefined;
  _.isNaN = (v) => typeof v === "number" && isNaN(v);
  _.isDate = (v) => v instanceof Date;
  _.isRegExp = (v) => v instanceof RegExp;
  _.isError = (v) => v instanceof Error;
  _.each = _.forEach = (c, fn) => eachEntry(c, fn);
  _.map = (c, f) => {
    const fn = iteratee(f);
    const out = [];
    eachEntry(c, (v, k) => {
      out.push(fn(v, k, c));
    });
    return out;
  };
  _.filter = (c, f) => {
    const fn = iteratee(f);
    const out = [];
    eachEntry(c, (v, k) => {
      if (fn(v, k, c)) out.push(v);
    });
    return out;
  };
  _.reject = (c, f) => {
    const fn = iteratee(f);
    return _.filter(c, (v, k) => !fn(v, k, c));
  };
  _.find = (c, f) => {
    const fn = iteratee(f);
    let found;
    eachEntry(c, (v, k) => {
      if (fn(v, k, c)) {
        found = v;
        return false;
      }
      return undefined;
    });
    return found;
  };
  _.findIndex = (a, f) => (a || []).findIndex(iteratee(f));
  _.findLast = (c, f) => _.find(collectionValues(c).reverse(), f);
  _.some = (c, f) => collectionValues(c).some(iteratee(f));
  _.every = (c, f) => collectionValues(c).every(iteratee(f));
  _.reduce = function (c, fn, acc) {
    let first = arguments.length < 3;
    eachEntry(c, (v, k) => {
      if (first) {
        acc = v;
        first = false;
      } else acc = fn(acc, v, k, c);
    });
    return acc;
  };
  _.keys = (o) => (o === null || o === undefined ? [] : Object.keys(Object(o)));
  _.values = (o) => collectionValues(o);
  _.entries = _.toPairs = (o) => Object.entries(o || {});
  _.fromPairs = (pairs) => Object.fromEntries(pairs || []);
  _.uniq = (a) => Array.from(new Set(a || []));
  _.uniqBy = (a, f) => {
    const fn = iteratee(f);
    const seen = new Set();
    return (a || []).filter((x) => (seen.has(fn(x)) ? false : (seen.add(fn(x)), true)));
  };
  _.random = (lo, hi, floating) => {
    if (hi === undefined || typeof hi === "boolean") {
      floating = hi;
      hi = lo === undefined ? 1 : lo;
      lo = 0;
    }
    if (lo > hi) [lo, hi] = [hi, lo];
    if (floating || lo % 1 || hi % 1) return lo + Math.random() * (hi - lo);
    return lo + Math.floor(Math.random() * (hi - lo + 1));
  };
  _.shuffle = (c) => {
    const a = collectionValues(c);
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  _.sample = (c) => {
    const a = collectionValues(c);
    return a[Math.floor(Math.random() * a.length)];
  };
  _.sampleSize = (c, n) => _.shuffle(c).slice(0, n === undefined ? 1 : n);
  _.orderBy = (c, keys, orders) => {
    const fns = (Array.isArray(keys) ? keys : [keys === undefined ? (x) => x : keys]).map(iteratee);
    const dirs = Array.isArray(orders) ? orders : [orders];
    return collectionValues(c)
      .map((v, i) => ({ v: v, i: i }))
      .sort((x, y) => {
        for (let n = 0; n < fns.length; n++) {
          const a = fns[n](x.v);
          const b = fns[n](y.v);
          const s = dirs[n] === "desc" ? -1 : 1;
          if (a < b || (a === undefined && b !== undefined)) return -s;
          if (a > b || (b === undefined && a !== undefined)) return s;
        }
        return x.i - y.i;
      })
      .map((e) => e.v);
  };
  _.sortBy = (c, ...keys) => _.orderBy(c, keys.length ? keys.flat() : undefined);
  _.groupBy = (c, f) => {
    const fn = iteratee(f);
    const out = {};
    collectionValues(c).forEach((v) => (out[fn(v)] = out[fn(v)] || []).push(v));
    return out;
  };
  _.keyBy = (c, f) => {
    const fn = iteratee(f);
    const out = {};
    collectionValues(c).forEach((v) => (out[fn(v)] = v));
    return out;
  };
  _.countBy = (c, f) => {
    const fn = iteratee(f);
    const out = {};
    collectionValues(c).forEach((v) => (out[fn(v)] = (out[fn(v)] || 0) + 1));
    return out;
  };
  _.pick = (o, ...keys) => {
    const out = {};
    keys.flat().forEach((k) => {
      if (_.has(o, k)) _.set(out, k, _.get(o, k));
    });
    return out;
  };
  _.omit = (o, ...keys) => {
    const drop = new Set(keys.flat().map(String));
    const out = {};
    Object.keys(o || {}).forEach((k) => {
      if (!drop.has(k)) out[k] = o[k];
    });
    return out;
  };
  _.pickBy = (o, f) => {
    const fn = iteratee(f);
    const out = {};
    Object.keys(o || {}).forEach((k) => {
      if (fn(o[k], k)) out[k] = o[k];
    });
    return out;
  };
  _.omitBy = (o, f) => {
    const fn = iteratee(f);
    return _.pickBy(o, (v, k) => !fn(v, k));
  };
  _.cloneDeep = (v) => {
    if (!isObjectLike(v)) return v;
    if (v instanceof Date) return new Date(v.getTime());
    if (v instanceof RegExp) return new RegExp(v.source, v.flags);
    if (Array.isArray(v)) return v.map(_.cloneDeep);
    const out = Object.create(Object.getPrototypeOf(v));
    Object.keys(v).forEach((k) => (out[k] = _.cloneDeep(v[k])));
    return out;
  };
  _.clone = (v) => (Array.isArray(v) ? v.slice() : isObjectLike(v) ? Object.assign({}, v) : v);
  _.merge = (target, ...sources) => {
    sources.forEach((src) => {
      Object.keys(src || {}).forEach((k) => {
        const s = src[k];
        if (isObjectLike(s) && !(s instanceof Date) && !(s instanceof RegExp)) {
          if (!isObjectLike(target[k])) target[k] = Array.isArray(s) ? [] : {};
          _.merge(target[k], s);
        } else if (s !== undefined || !hasOwn(target, k)) target[k] = s;
      });
    });
    return target;
  };
  _.assign = _.extend = (t, ...s) => Object.assign(t, ...s);
  _.defaults = (t, ...sources) => {
    sources.forEach((s) => Object.keys(s || {}).forEach((k) => {
      if (t[k] === undefined) t[k] = s[k];
    }));
    return t;
  };
  _.mapValues = (o, f) => {
    const fn = iteratee(f);
    const out = {};
    Object.keys(o || {}).forEach((k) => (out[k] = fn(o[k], k, o)));
    return out;
  };
  _.mapKeys = (o, f) => {
    const fn = iteratee(f);
    const out = {};
    Object.keys(o || {}).forEach((k) => (out[fn(o[k], k, o)] = o[k]));
    return out;
  };
  _.invert = (o) => {
    const out = {};
    Object.keys(o || {}).forEach((k) => (out[o[k]] = k));
    return out;
  };
  _.times = (n, f) => Array.from({ length: Math.max(0, n | 0) }, (x, i) => (f ? f(i) : i));
  _.includes = _.contains = (c, v, from) => {
    if (typeof c === "string") return c.indexOf(v, from || 0) >= 0;
    return collectionValues(c).slice(from || 0).some((x) => x === v || (Number.isNaN(x) && Number.isNaN(v)));
  };
  _.size = (c) => (c === null || c === undefined ? 0 : typeof c === "string" || Array.isArray(c) ? c.length : c instanceof Map || c instanceof Set ? c.size : Object.keys(c).length);
  _.range = (start, end, step) => {
    if (end === undefined) {
      end = start;
      start = 0;
    }
    step = step === undefined ? (end < start ? -1 : 1) : step;
    const out = [];
    if (step === 0) return _.times(Math.abs(end - start), () => start);
    for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i);
    return out;
  };
  _.first = _.head = (a) => (a ? a[0] : undefined);
  _.last = (a) => (a && a.length ? a[a.length - 1] : undefined);
  _.nth = (a, n) => (a ? a[n < 0 ? a.length + n : n || 0] : undefined);
  _.tail = (a) => (a || []).slice(1);
  _.initial = (a) => (a || []).slice(0, -1);
  _.take = (a, n) => (a || []).slice(0, n === undefined ? 1 : n);
  _.takeRight = (a, n) => (n === 0 ? [] : (a || []).slice(-(n === undefined ? 1 : n)));
  _.drop = (a, n) => (a || []).slice(n === undefined ? 1 : n);
  _.flatten = (a) => (a || []).flat(1);
  _.flattenDeep = (a) => (a || []).flat(Infinity);
  _.compact = (a) => (a || []).filter(Boolean);
  _.concat = (...a) => [].concat(...a);
  _.difference = (a, ...others) => {
    const drop = others.flat();
    return (a || []).filter((x) => drop.indexOf(x) < 0);
  };
  _.intersection = (a, ...others) => _.uniq((a || []).filter((x) => others.every((o) => (o || []).indexOf(x) >= 0)));
  _.union = (...arrays) => _.uniq(arrays.flat());
  _.without = (a, ...vals) => (a || []).filter((x) => vals.indexOf(x) < 0);
  _.pull = (a, ...vals) => {
    for (let i = a.length - 1; i >= 0; i--) if (vals.indexOf(a[i]) >= 0) a.splice(i, 1);
    return a;
  };
  _.remove = (a, f) => {
    const fn = iteratee(f);
    const removed = [];
    for (let i = 0; i < a.length; ) {
      if (fn(a[i], i, a)) removed.push(a.splice(i, 1)[0]);
      else i++;
    }
    return removed;
  };
  _.chunk = (a, n) => {
    const out = [];
    n = Math.max(1, n || 1);
    for (let i = 0; i < (a || []).length; i += n) out.push(a.slice(i, i + n));
    return out;
  };
  _.zip = (...arrays) => _.times(Math.max(0, ...arrays.map((a) => a.length)), (i) => arrays.map((a) => a[i]));
  _.join = (a, sep) => (a || []).join(sep === undefined ? "," : sep);
  _.reverse = (a) => a.reverse();
  _.indexOf = (a, v, from) => (a || []).indexOf(v, from);
  _.sum = (a) => (a || []).reduce((s, x) => s + x, 0);
  _.sumBy = (a, f) => _.sum(_.map(a, f));
  _.mean = (a) => _.sum(a) / (a || []).length;
  _.meanBy = (a, f) => _.mean(_.map(a, f));
  _.maxBy = (a, f) => {
    const fn = iteratee(f);
    return (a || []).reduce((best, x) => (best === undefined || fn(x) > fn(best) ? x : best), undefined);
  };
  _.minBy = (a, f) => {
    const fn = iteratee(f);
    return (a || []).reduce((best, x) => (best === undefined || fn(x) < fn(best) ? x : best), undefined);
  };
  _.max = (a) => _.maxBy(a);
  _.min = (a) => _.minBy(a);
  _.clamp = (n, lo, hi) => Math.min(Math.max(n, lo), hi);
  _.inRange = (n, start, end) => {
    if (end === undefined) [start, end] = [0, start];
    return n >= Math.min(start, end) && n < Math.max(start, end);
  };
  const words = (s) => String(s === undefined || s === null ? "" : s).replace(/([a-z\d])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2").match(/[A-Za-z\d]+/g) || [];
  _.words = words;
  _.upperFirst = (s) => String(s).charAt(0).toUpperCase() + String(s).slice(1);
  _.lowerFirst = (s) => String(s).charAt(0).toLowerCase() + String(s).slice(1);
  _.capitalize = (s) => _.upperFirst(String(s).toLowerCase());
  _.camelCase = (s) => words(s).map((w, i) => (i ? _.capitalize(w) : w.toLowerCase())).join("");
  _.kebabCase = (s) => words(s).map((w) => w.toLowerCase()).join("-");
  _.snakeCase = (s) => words(s).map((w) => w.toLowerCase()).join("_");
  _.startCase = (s) => words(s).map(_.upperFirst).join(" ");
  _.toUpper = (s) => String(s).toUpperCase();
  _.toLower = (s) => String(s).toLowerCase();
  _.trim = (s, chars) => (chars ? _.trimEnd(_.trimStart(s, chars), chars) : String(s).trim());
  _.trimStart = (s, chars) => (chars ? String(s).replace(new RegExp("^[" + chars.replace(/[\]\\^-]/g, "\\$&") + "]+"), "") : String(s).trimStart());
  _.trimEnd = (s, chars) => (chars ? String(s).replace(new RegExp("[" + chars.replace(/[\]\\^-]/g, "\\$&") + "]+$"), "") : String(s).trimEnd());
  _.padStart = (s, n, c) => String(s).padStart(n, c === undefined ? " " : c);
  _.padEnd = (s, n, c) => String(s).padEnd(n, c === undefined ? " " : c);
  _.pad = (s, n, c) => {
    s = String(s);
    const left = Math.floor((n - s.length) / 2);
    return _.padEnd(_.padStart(s, s.length + Math.max(0, left), c), n, c);
  };
  _.repeat = (s, n) => String(s).repeat(n === undefined ? 1 : n);
  _.startsWith = (s, t, p) => String(s).startsWith(t, p);
  _.endsWith = (s, t, p) => String(s).endsWith(t, p);
  _.replace = (s, a, b) => String(s).replace(a, b);
  _.split = (s, sep, lim) => String(s).split(sep, lim);
  _.toString = (v) => (v === null || v === undefined ? "" : String(v));
  _.toNumber = (v) => Number(v);
  _.toInteger = (v) => Math.trunc(Number(v)) || 0;
  _.parseInt = (s, radix) => parseInt(s, radix || 10);
  const HTML = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  _.escape = (s) => String(s).replace(/[&<>"']/g, (c) => HTML[c]);
  _.unescape = (s) => String(s).replace(/&(amp|lt|gt|quot|#39);/g, (m) => _.invert(HTML)[m]);
  _.escapeRegExp = (s) => String(s).replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
  _.noop = () => undefined;
  _.identity = (x) => x;
  _.constant = (x) => () => x;
  _.now = () => Date.now();
  let uid = 0;
  _.uniqueId = (prefix) => (prefix || "") + ++uid;
  pg.resetUniqueId = () => {
    uid = 0; // each request counts from 1, as in a fresh context (96_reuse.js)
  };
  _.castArray = function (v) {
    return Array.isArray(v) ? v : arguments.length ? [v] : [];
  };
  _.isEqualWith = (a, b) => pg.deepEqual(a, b);
  _.template = (tpl) => (data) => String(tpl).replace(/<%=\s*([\s\S]+?)\s*%>/g, (m, k) => _.get(data, k, ""));
  pg.lodash = _;

  // ---- uuid ------------------------------------------------------------
  function uuidV4() {
    const b = [];
    for (let i = 0; i < 16; i++) b.push(Math.floor(Math.random() * 256));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = pg.hexEncode(b);
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  pg.uuidV4 = uuidV4;
  const uuid = function () {
    return uuidV4();
  };
  uuid.v4 = uuidV4;
  uuid.validate = (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(s));
  pg.uuid = uuid;

  // ---- moment (subset) -------------------------------------------------
  const UNIT = {
    ms: "millisecond", millisecond: "millisecond", milliseconds: "millisecond",
    s: "second", second: "second", seconds: "second",
    m: "minute", minute: "minute", minutes: "minute",
    h: "hour", hour: "hour", hours: "hour",
    d: "day", day: "day", days: "day", date: "day",
    w: "week", week: "week", weeks: "week",
    M: "month", month: "month", months: "month",
    Q: "quarter", quarter: "quarter", quarters: "quarter",
    y: "year", year: "year", years: "year",
  };
  const MS = { millisecond: 1, second: 1e3, minute: 6e4, hour: 36e5, day: 864e5, week: 6048e5 };
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const pad = (n, w) => String(Math.abs(n)).padStart(w, "0");
  const unitOf = (u) => UNIT[u] || UNIT[String(u || "").toLowerCase()] || (u && u.length > 1 ? UNIT[u.toLowerCase()] : undefined);

  function Moment(date, utc) {
    this._d = date;
    this._isUTC = !!utc;
  }
  const M = Moment.prototype;
  M._get = function (what) {
    return this._d[(this._isUTC ? "getUTC" : "get") + what]();
  };
  M._set = function (what, args) {
    this._d[(this._isUTC ? "setUTC" : "set") + what].apply(this._d, args);
    return this;
  };
  M.isValid = function () {
    return !isNaN(this._d.getTime());
  };
  M.clone = function () {
    return new Moment(new Date(this._d.getTime()), this._isUTC);
  };
  M.utc = function () {
    this._isUTC = true;
    return this;
  };
  M.local = function () {
    this._isUTC = false;
    return this;
  };
  M.isUTC = function () {
    return this._isUTC;
  };
  M.valueOf = function () {
    return this._d.getTime();
  };
  M.unix = function () {
    return Math.floor(this._d.getTime() / 1000);
  };
  M.toDate = function () {
    return new Date(this._d.getTime());
  };
  M.toISOString = function () {
    return this.isValid() ? this._d.toISOString() : null;
  };
  M.toJSON = M.toISOString;
  M.toString = function () {
    return this.isValid() ? this.clone().locale().format("ddd MMM DD YYYY HH:mm:ss [GMT]ZZ") : "Invalid date";
  };
  M.locale = function () {
    return this;
  };
  M.utcOffset = function () {
    return this._isUTC ? 0 : -this._d.getTimezoneOffset();
  };
  [["year", "FullYear"], ["month", "Month"], ["date", "Date"], ["hour", "Hours"], ["hours", "Hours"], ["minute", "Minutes"], ["minutes", "Minutes"], ["second", "Seconds"], ["seconds", "Seconds"], ["millisecond", "Milliseconds"], ["milliseconds", "Milliseconds"]].forEach(([name, js]) => {
    M[name] = function (v) {
      return v === undefined ? this._get(js) : this._set(js, [v]);
    };
  });
  M.day = function (v) {
    return v === undefined ? this._get("Day") : this.add(v - this._get("Day"), "day");
  };
  M.weekday = M.day;
  M.isoWeekday = function () {
    return this._get("Day") || 7;
  };
  M.dayOfYear = function () {
    const start = Date.UTC(this._get("FullYear"), 0, 1);
    const now = Date.UTC(this._get("FullYear"), this._get("Month"), this._get("Date"));
    return Math.round((now - start) / 864e5) + 1;
  };
  M.daysInMonth = function () {
    return new Date(Date.UTC(this._get("FullYear"), this._get("Month") + 1, 0)).getUTCDate();
  };
  M.get = function (u) {
    return this[unitOf(u)]();
  };
  M.set = function (u, v) {
    if (typeof u === "object") {
      Object.keys(u).forEach((k) => this.set(k, u[k]));
      return this;
    }
    return this[unitOf(u) === "day" ? "date" : unitOf(u)](v);
  };
  M.add = function (n, u) {
    if (typeof n === "object" && n !== null) {
      if (n instanceof Duration) return this.add(n._ms, "ms");
      Object.keys(n).forEach((k) => this.add(n[k], k));
      return this;
    }
    if (typeof n === "string" && typeof u === "number") [n, u] = [u, n];
    n = Number(n);
    const unit = unitOf(u) || "millisecond";
    if (unit === "month" || unit === "quarter" || unit === "year") {
      const months = unit === "month" ? n : unit === "quarter" ? 3 * n : 12 * n;
      const day = this._get("Date");
      this._set("Date", [1]);
      this._set("Month", [this._get("Month") + months]);
      this._set("Date", [Math.min(day, this.daysInMonth())]);
    } else if (unit === "day" || unit === "week") {
      this._set("Date", [this._get("Date") + (unit === "week" ? 7 * n : n)]);
    } else this._d = new Date(this._d.getTime() + n * MS[unit]);
    return this;
  };
  M.subtract = function (n, u) {
    if (typeof n === "object" && n !== null) {
      if (n instanceof Duration) return this.add(-n._ms, "ms");
      Object.keys(n).forEach((k) => this.add(-n[k], k));
      return this;
    }
    if (typeof n === "string" && typeof u === "number") [n, u] = [u, n];
    return this.add(-Number(n), u);
  };
  M.startOf = function (u) {
    const unit = unitOf(u);
    const order = ["year", "quarter", "month", "week", "day", "hour", "minute", "second"];
    const i = order.indexOf(unit);
    if (i < 0) return this;
    if (unit === "year") this._set("Month", [0]);
    if (unit === "quarter") this._set("Month", [this._get("Month") - (this._get("Month") % 3)]);
    if (i <= 2) this._set("Date", [1]);
    if (unit === "week") this._set("Date", [this._get("Date") - this._get("Day")]);
    if (i <= 4) this._set("Hours", [0]);
    if (i <= 5) this._set("Minutes", [0]);
    if (i <= 6) this._set("Seconds", [0]);
    this._set("Milliseconds", [0]);
    return this;
  };
  M.endOf = function (u) {
    const unit = unitOf(u);
    return this.startOf(unit).add(1, unit).subtract(1, "ms");
  };
  M.diff = function (other, u, asFloat) {
    const b = toMoment(other);
    const unit = unitOf(u) || "millisecond";
    let out;
    if (unit === "month" || unit === "quarter" || unit === "year") {
      const months = (this._get("FullYear") - b._get("FullYear")) * 12 + (this._get("Month") - b._get("Month"));
      const anchor = b.clone().add(months, "month");
      let frac = months + (this.valueOf() - anchor.valueOf()) / (Math.abs(anchor.clone().add(1, "month").valueOf() - anchor.valueOf()) || 1);
      out = unit === "month" ? frac : unit === "quarter" ? frac / 3 : frac / 12;
    } else out = (this.valueOf() - b.valueOf()) / MS[unit];
    return asFloat ? out : out < 0 ? Math.ceil(out) : Math.floor(out);
  };
  M.isBefore = function (o, u) {
    return u ? this.clone().endOf(u).valueOf() < toMoment(o).valueOf() : this.valueOf() < toMoment(o).valueOf();
  };
  M.isAfter = function (o, u) {
    return u ? this.clone().startOf(u).valueOf() > toMoment(o).valueOf() : this.valueOf() > toMoment(o).valueOf();
  };
  M.isSame = function (o, u) {
    const b = toMoment(o);
    return u ? this.clone().startOf(u).valueOf() === Object.assign(b.clone(), { _isUTC: this._isUTC }).startOf(u).valueOf() : this.valueOf() === b.valueOf();
  };
  M.isSameOrBefore = function (o, u) {
    return this.isSame(o, u) || this.isBefore(o, u);
  };
  M.isSameOrAfter = function (o, u) {
    return this.isSame(o, u) || this.isAfter(o, u);
  };
  M.isBetween = function (a, b) {
    return this.isAfter(a) && this.isBefore(b);
  };
  M.fromNow = function () {
    const s = Math.round((Date.now() - this.valueOf()) / 1000);
    const abs = Math.abs(s);
    const text = abs < 45 ? "a few seconds" : abs < 2700 ? Math.round(abs / 60) + " minutes" : abs < 79200 ? Math.round(abs / 3600) + " hours" : Math.round(abs / 86400) + " days";
    return s >= 0 ? text + " ago" : "in " + text;
  };
  M.format = function (fmt) {
    if (!this.isValid()) return "Invalid date";
    if (fmt === undefined) fmt = this._isUTC ? "YYYY-MM-DDTHH:mm:ss[Z]" : "YYYY-MM-DDTHH:mm:ssZ";
    const off = this.utcOffset();
    const zone = (sep) => (off < 0 ? "-" : "+") + pad(Math.floor(Math.abs(off) / 60), 2) + sep + pad(Math.abs(off) % 60, 2);
    const y = this._get("FullYear");
    const mo = this._get("Month");
    const d = this._get("Date");
    const h = this._get("Hours");
    const mi = this._get("Minutes");
    const s = this._get("Seconds");
    const ms = this._get("Milliseconds");
    const wd = this._get("Day");
    const ord = (n) => n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] || "th");
    const T = {
      YYYY: () => pad(y, 4), YY: () => pad(y % 100, 2), Y: () => String(y),
      MMMM: () => MONTHS[mo], MMM: () => MONTHS[mo].slice(0, 3), MM: () => pad(mo + 1, 2), Mo: () => ord(mo + 1), M: () => String(mo + 1),
      DDDD: () => pad(this.dayOfYear(), 3), DDD: () => String(this.dayOfYear()),
      DD: () => pad(d, 2), Do: () => ord(d), D: () => String(d),
      dddd: () => DAYS[wd], ddd: () => DAYS[wd].slice(0, 3), dd: () => DAYS[wd].slice(0, 2), d: () => String(wd), E: () => String(wd || 7), e: () => String(wd),
      HH: () => pad(h, 2), H: () => String(h), hh: () => pad(h % 12 || 12, 2), h: () => String(h % 12 || 12), kk: () => pad(h || 24, 2), k: () => String(h || 24),
      mm: () => pad(mi, 2), m: () => String(mi), ss: () => pad(s, 2), s: () => String(s),
      SSSSSS: () => pad(ms, 3) + "000", SSSS: () => pad(ms, 3) + "0", SSS: () => pad(ms, 3), SS: () => pad(Math.floor(ms / 10), 2), S: () => String(Math.floor(ms / 100)),
      A: () => (h < 12 ? "AM" : "PM"), a: () => (h < 12 ? "am" : "pm"),
      ZZ: () => zone(""), Z: () => zone(":"), X: () => String(this.unix()), x: () => String(this.valueOf()),
      Q: () => String(Math.floor(mo / 3) + 1), GGGG: () => pad(y, 4), gggg: () => pad(y, 4),
    };
    return String(fmt).replace(/\[([^\]]*)]|YYYY|YY|Y|MMMM|MMM|MM|Mo|M|DDDD|DDD|DD|Do|D|dddd|ddd|dd|d|E|e|HH|H|hh|h|kk|k|mm|m|ss|s|SSSSSS|SSSS|SSS|SS|S|A|a|ZZ|Z|X|x|Q|GGGG|gggg/g, (tok, lit) => (lit !== undefined ? lit : T[tok]()));
  };

  // Parse "YYYY-MM-DD HH:mm" style input with an explicit format (digits only tokens).
  function parseWithFormat(str, fmt, utc) {
    const parts = { Y: 1970, M: 0, D: 1, H: 0, m: 0, s: 0, S: 0 };
    const re = /YYYY|YY|MM|M|DD|D|HH|H|hh|h|mm|m|ss|s|SSS|X|x|./g;
    let pos = 0;
    let tok;
    str = String(str);
    while ((tok = re.exec(fmt))) {
      const t = tok[0];
      if (t.length === 1 && !/[MDHhms]/.test(t)) {
        pos += 1;
        continue;
      }
      const len = { YYYY: 4, YY: 2, MM: 2, DD: 2, HH: 2, hh: 2, mm: 2, ss: 2, SSS: 3 }[t];
      const m = str.slice(pos).match(len ? new RegExp("^\\d{1," + len + "}") : /^\d+/);
      if (!m) return new Date(NaN);
      pos += m[0].length;
      const n = Number(m[0]);
      if (t === "X") return new Date(n * 1000);
      if (t === "x") return new Date(n);
      if (t === "YYYY") parts.Y = n;
      else if (t === "YY") parts.Y = n + (n > 68 ? 1900 : 2000);
      else if (t[0] === "M") parts.M = n - 1;
      else if (t[0] === "D") parts.D = n;
      else if (t[0] === "H" || t[0] === "h") parts.H = n;
      else if (t[0] === "m") parts.m = n;
      else if (t[0] === "s") parts.s = n;
      else if (t === "SSS") parts.S = n;
    }
    const args = [parts.Y, parts.M, parts.D, parts.H, parts.m, parts.s, parts.S];
    return utc ? new Date(Date.UTC.apply(null, args)) : new Date(parts.Y, parts.M, parts.D, parts.H, parts.m, parts.s, parts.S);
  }

  function toDate(input, fmt, utc) {
    if (input === undefined) return new Date();
    if (input === null) return new Date(NaN);
    if (input instanceof Moment) return new Date(input.valueOf());
    if (input instanceof Date) return new Date(input.getTime());
    if (typeof input === "number") return new Date(input);
    if (Array.isArray(input)) {
      const a = [input[0], input[1] || 0, input[2] === undefined ? 1 : input[2], input[3] || 0, input[4] || 0, input[5] || 0, input[6] || 0];
      return utc ? new Date(Date.UTC.apply(null, a)) : new Date(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    }
    if (typeof input === "object") {
      const n = (k, d) => (input[k] !== undefined ? input[k] : input[k + "s"] !== undefined ? input[k + "s"] : d);
      return toDate([n("year", 1970), n("month", 0), n("day", n("date", 1)), n("hour", 0), n("minute", 0), n("second", 0), n("millisecond", 0)], null, utc);
    }
    if (fmt) return parseWithFormat(input, Array.isArray(fmt) ? fmt[0] : fmt, utc);
    const s = String(input).trim();
    const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (dateOnly) return toDate([+dateOnly[1], +dateOnly[2] - 1, +dateOnly[3]], null, utc);
    const local = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/.exec(s);
    if (local) return toDate([+local[1], +local[2] - 1, +local[3], +local[4], +local[5], +(local[6] || 0), +((local[7] || "0") + "00").slice(0, 3)], null, utc);
    return new Date(s.replace(" ", "T"));
  }
  function toMoment(x) {
    return x instanceof Moment ? x : moment(x);
  }
  function moment(input, fmt) {
    return new Moment(toDate(input, fmt, false), false);
  }
  moment.utc = function (input, fmt) {
    return new Moment(toDate(input, fmt, true), true);
  };
  moment.unix = (s) => new Moment(new Date(s * 1000), false);
  moment.isMoment = (x) => x instanceof Moment;
  moment.isDate = (x) => x instanceof Date;
  moment.now = () => Date.now();
  moment.locale = () => "en";
  moment.max = (...ms) => ms.flat().reduce((a, b) => (b.valueOf() > a.valueOf() ? b : a));
  moment.min = (...ms) => ms.flat().reduce((a, b) => (b.valueOf() < a.valueOf() ? b : a));
  moment.ISO_8601 = "YYYY-MM-DDTHH:mm:ss.SSSZ";

  function Duration(ms) {
    this._ms = ms;
  }
  const D = Duration.prototype;
  D.asMilliseconds = function () {
    return this._ms;
  };
  D.valueOf = D.asMilliseconds;
  ["second", "minute", "hour", "day", "week"].forEach((u) => {
    D["as" + u[0].toUpperCase() + u.slice(1) + "s"] = function () {
      return this._ms / MS[u];
    };
  });
  D.milliseconds = function () {
    return this._ms % 1000;
  };
  D.seconds = function () {
    return Math.floor(this._ms / 1e3) % 60;
  };
  D.minutes = function () {
    return Math.floor(this._ms / 6e4) % 60;
  };
  D.hours = function () {
    return Math.floor(this._ms / 36e5) % 24;
  };
  D.days = function () {
    return Math.floor(this._ms / 864e5);
  };
  moment.duration = function (n, u) {
    if (typeof n === "object" && n !== null) return new Duration(Object.keys(n).reduce((s, k) => s + n[k] * (MS[unitOf(k)] || 0), 0));
    return new Duration(Number(n) * (MS[unitOf(u) || "millisecond"] || 0));
  };
  moment.fn = M;
  pg.moment = moment;
})(globalThis.__pg);
