// Shared helpers of the postman-gen script sandbox: value display, byte codecs,
// a Buffer subset and Postman's PropertyList.  Everything hangs off the hidden
// global __pg so that user scripts see only the names Postman itself defines.
"use strict";
// engineGlobals: the names QuickJS itself defines, before the sandbox adds any (96_reuse.js tells them apart).
Object.defineProperty(globalThis, "__pg", { value: { engineGlobals: Reflect.ownKeys(globalThis) }, enumerable: false, writable: false });

(function (pg) {
  const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  pg.hasOwn = hasOwn;

  // A short, chai/node-like rendering of any value, used in messages and console output.
  function inspect(v, depth, seen) {
    depth = depth === undefined ? 2 : depth;
    seen = seen || [];
    if (v === null) return "null";
    if (v === undefined) return "undefined";
    const t = typeof v;
    if (t === "string") return "'" + v.replace(/'/g, "\\'") + "'";
    if (t === "number") return Object.is(v, -0) ? "-0" : String(v);
    if (t === "bigint") return v + "n";
    if (t === "boolean" || t === "symbol") return String(v);
    if (t === "function") return "[Function" + (v.name ? ": " + v.name : "") + "]";
    if (v instanceof RegExp) return String(v);
    if (v instanceof Date) return isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
    if (v instanceof Error) return v.name + ": " + v.message;
    if (seen.indexOf(v) >= 0) return "[Circular]";
    if (depth < 0) return Array.isArray(v) ? "[Array]" : "[Object]";
    seen.push(v);
    let out;
    if (Array.isArray(v)) {
      out = v.length ? "[ " + v.map((x) => inspect(x, depth - 1, seen)).join(", ") + " ]" : "[]";
    } else {
      const keys = Object.keys(v);
      const parts = keys.map((k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : "'" + k + "'") + ": " + inspect(v[k], depth - 1, seen));
      out = parts.length ? "{ " + parts.join(", ") + " }" : "{}";
    }
    seen.pop();
    return out;
  }
  pg.inspect = (v) => inspect(v, 2, []);

  // console.log formatting: strings as they are, other values inspected, %s/%d/%i/%f/%o/%j substituted.
  pg.formatArgs = function (args) {
    args = Array.prototype.slice.call(args);
    let head = "";
    if (typeof args[0] === "string" && /%[sdifojO%]/.test(args[0])) {
      const fmt = args.shift();
      head = fmt.replace(/%([sdifojO%])/g, (m, c) => {
        if (c === "%") return "%";
        if (!args.length) return m;
        const a = args.shift();
        if (c === "s") return typeof a === "string" ? a : pg.inspect(a);
        if (c === "d" || c === "i") return String(c === "i" ? parseInt(a, 10) : Number(a));
        if (c === "f") return String(parseFloat(a));
        if (c === "j") return JSON.stringify(a);
        return pg.inspect(a);
      });
      if (!args.length) return head;
      head += " ";
    }
    return head + args.map((a) => (typeof a === "string" ? a : pg.inspect(a))).join(" ");
  };

  // ---- bytes <-> strings -------------------------------------------------
  pg.utf8Encode = function (s) {
    s = String(s);
    const out = [];
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        }
      }
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return out;
  };
  pg.utf8Decode = function (bytes) {
    let s = "";
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i++];
      let c;
      if (b < 0x80) c = b;
      else if (b < 0xe0) c = ((b & 31) << 6) | (bytes[i++] & 63);
      else if (b < 0xf0) c = ((b & 15) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63);
      else c = ((b & 7) << 18) | ((bytes[i++] & 63) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63);
      s += String.fromCodePoint(c);
    }
    return s;
  };
  pg.latin1Encode = (s) => Array.from(String(s), (ch) => ch.charCodeAt(0) & 255);
  pg.latin1Decode = (bytes) => Array.from(bytes, (b) => String.fromCharCode(b)).join("");
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  pg.base64Encode = function (bytes) {
    let s = "";
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      s += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
      s += i + 1 < bytes.length ? B64[(n >> 6) & 63] : "=";
      s += i + 2 < bytes.length ? B64[n & 63] : "=";
    }
    return s;
  };
  pg.base64Decode = function (str) {
    str = String(str).replace(/-/g, "+").replace(/_/g, "/").replace(/[^A-Za-z0-9+/]/g, "");
    const out = [];
    let buf = 0;
    let bits = 0;
    for (const ch of str) {
      buf = (buf << 6) | B64.indexOf(ch);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.push((buf >> bits) & 255);
      }
    }
    return out;
  };
  pg.hexEncode = (bytes) => Array.from(bytes, (b) => (b < 16 ? "0" : "") + b.toString(16)).join("");
  pg.hexDecode = function (s) {
    const out = [];
    for (let i = 0; i + 1 < s.length; i += 2) out.push(parseInt(s.substr(i, 2), 16));
    return out;
  };

  // ---- Buffer (the subset scripts use: from/toString/length/concat) ----
  class Buffer extends Uint8Array {
    static from(value, encoding) {
      if (typeof value === "string") {
        const enc = (encoding || "utf8").toLowerCase();
        let bytes;
        if (enc === "base64" || enc === "base64url") bytes = pg.base64Decode(value);
        else if (enc === "hex") bytes = pg.hexDecode(value);
        else if (enc === "latin1" || enc === "binary" || enc === "ascii") bytes = pg.latin1Encode(value);
        else bytes = pg.utf8Encode(value);
        return new Buffer(bytes);
      }
      return new Buffer(Array.from(value && value.type === "Buffer" ? value.data : value));
    }
    static isBuffer(v) {
      return v instanceof Buffer;
    }
    static byteLength(s, enc) {
      return Buffer.from(s, enc).length;
    }
    static alloc(n, fill) {
      const b = new Buffer(n);
      if (fill !== undefined) b.fill(typeof fill === "number" ? fill : Buffer.from(fill)[0]);
      return b;
    }
    static concat(list) {
      const all = [];
      list.forEach((b) => all.push(...b));
      return new Buffer(all);
    }
    toString(encoding) {
      const enc = (encoding || "utf8").toLowerCase();
      if (enc === "base64") return pg.base64Encode(this);
      if (enc === "base64url") return pg.base64Encode(this).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
      if (enc === "hex") return pg.hexEncode(this);
      if (enc === "latin1" || enc === "binary" || enc === "ascii") return pg.latin1Decode(this);
      return pg.utf8Decode(this);
    }
    toJSON() {
      return { type: "Buffer", data: Array.from(this) };
    }
    equals(other) {
      return this.length === other.length && this.every((b, i) => b === other[i]);
    }
  }
  pg.Buffer = Buffer;

  // ---- PropertyList: Postman's ordered key/value list (headers, query, cookies) ----
  class PropertyList {
    constructor(items, caseInsensitive) {
      this._ci = !!caseInsensitive;
      this.members = [];
      (items || []).forEach((it) => this.add(it));
    }
    _norm(k) {
      return this._ci ? String(k).toLowerCase() : String(k);
    }
    _find(k) {
      const n = this._norm(k);
      for (let i = this.members.length - 1; i >= 0; i--) if (this._norm(this.members[i].key) === n) return i;
      return -1;
    }
    _item(it, value) {
      if (typeof it === "string") {
        if (value !== undefined) return { key: it, value: value };
        const i = it.indexOf(":");
        return i >= 0 ? { key: it.slice(0, i).trim(), value: it.slice(i + 1).trim() } : { key: it, value: "" };
      }
      return Object.assign({}, it, { key: String(it.key !== undefined ? it.key : it.name), value: it.value });
    }
    count() {
      return this.members.length;
    }
    add(it, value) {
      this.members.push(this._item(it, value));
    }
    append(it) {
      this.add(it);
    }
    prepend(it) {
      this.members.unshift(this._item(it));
    }
    insert(it, before) {
      const at = before === undefined ? -1 : this.members.findIndex((m) => m === before || (before && m.key === (typeof before === "string" ? before : before.key)));
      if (at < 0) this.members.push(this._item(it));
      else this.members.splice(at, 0, this._item(it));
    }
    insertAfter(it, after) {
      const at = this.members.findIndex((m) => m === after || (after && m.key === (typeof after === "string" ? after : after.key)));
      if (at < 0) this.members.push(this._item(it));
      else this.members.splice(at + 1, 0, this._item(it));
    }
    upsert(it, value) {
      const item = this._item(it, value);
      const i = this._find(item.key);
      if (i >= 0) Object.assign(this.members[i], item, { key: this.members[i].key });
      else this.members.push(item);
    }
    remove(pred) {
      const test =
        typeof pred === "function"
          ? pred
          : (m) => this._norm(m.key) === this._norm(typeof pred === "object" && pred ? pred.key : pred);
      this.members = this.members.filter((m) => !test(m));
    }
    clear() {
      this.members = [];
    }
    get(k) {
      const i = this._find(k);
      return i >= 0 && !this.members[i].disabled ? this.members[i].value : undefined;
    }
    one(k) {
      const i = this._find(k);
      return i >= 0 ? this.members[i] : undefined;
    }
    has(k, value) {
      const n = this._norm(k);
      return this.members.some((m) => this._norm(m.key) === n && (value === undefined || m.value === value));
    }
    idx(i) {
      return this.members[i];
    }
    all() {
      return this.members.slice();
    }
    toObject(excludeDisabled) {
      const o = {};
      this.members.forEach((m) => {
        if (!(excludeDisabled && m.disabled)) o[m.key] = m.value;
      });
      return o;
    }
    toJSON() {
      return this.members.map((m) => Object.assign({}, m));
    }
    toString() {
      return this.members.map((m) => m.key + ": " + m.value).join("\n");
    }
    each(fn, ctx) {
      this.members.slice().forEach((m, i) => fn.call(ctx, m, i));
    }
    forEach(fn, ctx) {
      this.each(fn, ctx);
    }
    map(fn, ctx) {
      return this.members.map(fn, ctx);
    }
    filter(fn, ctx) {
      return this.members.filter(fn, ctx);
    }
    find(fn, ctx) {
      return this.members.find(fn, ctx);
    }
    reduce(fn, acc) {
      return this.members.reduce(fn, acc);
    }
    indexOf(it) {
      return this.members.indexOf(it);
    }
    eachParent() {}
    populate(items) {
      (items || []).forEach((it) => this.add(it));
    }
    repopulate(items) {
      this.clear();
      this.populate(items);
    }
    [Symbol.iterator]() {
      return this.members[Symbol.iterator]();
    }
  }
  pg.PropertyList = PropertyList;
})(globalThis.__pg);
