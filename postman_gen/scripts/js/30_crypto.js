// crypto-js subset (hashes, HMACs, encoders) in plain JS.  It runs inside the sandbox because
// QuickJS forbids calls into Python while a time limit is set, and the time limit is not optional.
"use strict";
(function (pg) {
  const toBytes = (m) => (m instanceof WordArray ? m._b.slice() : pg.utf8Encode(m === undefined || m === null ? "" : m));

  class WordArray {
    constructor(bytes) {
      this._b = Array.from(bytes || []);
    }
    get sigBytes() {
      return this._b.length;
    }
    get words() {
      const w = [];
      for (let i = 0; i < this._b.length; i++) w[i >>> 2] = (w[i >>> 2] | 0) | (this._b[i] << (24 - (i % 4) * 8));
      return w;
    }
    toString(encoder) {
      return (encoder || Hex).stringify(this);
    }
    concat(other) {
      this._b.push(...other._b);
      return this;
    }
    clone() {
      return new WordArray(this._b);
    }
    static create(words, sigBytes) {
      if (words instanceof ArrayBuffer || ArrayBuffer.isView(words)) return new WordArray(new Uint8Array(words.buffer || words));
      words = words || [];
      const n = sigBytes === undefined ? words.length * 4 : sigBytes;
      const b = [];
      for (let i = 0; i < n; i++) b.push((words[i >>> 2] >>> (24 - (i % 4) * 8)) & 255);
      return new WordArray(b);
    }
    static random(n) {
      const b = [];
      for (let i = 0; i < n; i++) b.push(Math.floor(Math.random() * 256));
      return new WordArray(b);
    }
  }
  const Hex = { stringify: (wa) => pg.hexEncode(wa._b), parse: (s) => new WordArray(pg.hexDecode(s)) };
  const Base64 = { stringify: (wa) => pg.base64Encode(wa._b), parse: (s) => new WordArray(pg.base64Decode(s)) };
  const Base64url = {
    stringify: (wa) => pg.base64Encode(wa._b).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
    parse: (s) => new WordArray(pg.base64Decode(s)),
  };
  const Utf8 = { stringify: (wa) => pg.utf8Decode(wa._b), parse: (s) => new WordArray(pg.utf8Encode(s)) };
  const Latin1 = { stringify: (wa) => pg.latin1Decode(wa._b), parse: (s) => new WordArray(pg.latin1Encode(s)) };

  // ---- hash functions over byte arrays ---------------------------------
  const rotl = (x, n) => (x << n) | (x >>> (32 - n));
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  function padMessage(bytes, littleEndian, lengthBytes) {
    const m = bytes.slice();
    const bitLen = bytes.length * 8;
    m.push(0x80);
    const block = lengthBytes === 16 ? 128 : 64;
    while (m.length % block !== block - lengthBytes) m.push(0);
    const len = [];
    for (let i = 0; i < lengthBytes; i++) len.push(i < 6 ? Math.floor(bitLen / Math.pow(2, 8 * i)) & 255 : 0);
    return m.concat(littleEndian ? len : len.reverse());
  }
  const wordBE = (m, i) => ((m[i] << 24) | (m[i + 1] << 16) | (m[i + 2] << 8) | m[i + 3]) | 0;
  const wordsToBytesBE = (ws) => [].concat(...ws.map((w) => [(w >>> 24) & 255, (w >>> 16) & 255, (w >>> 8) & 255, w & 255]));

  function md5(bytes) {
    const m = padMessage(bytes, true, 8);
    const K = [];
    for (let i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296) | 0;
    const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
    let a0 = 0x67452301, b0 = 0xefcdab89 | 0, c0 = 0x98badcfe | 0, d0 = 0x10325476;
    for (let off = 0; off < m.length; off += 64) {
      const X = [];
      for (let i = 0; i < 16; i++) X[i] = m[off + 4 * i] | (m[off + 4 * i + 1] << 8) | (m[off + 4 * i + 2] << 16) | (m[off + 4 * i + 3] << 24);
      let a = a0, b = b0, c = c0, d = d0;
      for (let i = 0; i < 64; i++) {
        let f, g;
        const r = i >> 4;
        if (r === 0) { f = (b & c) | (~b & d); g = i; }
        else if (r === 1) { f = (d & b) | (~d & c); g = (5 * i + 1) % 16; }
        else if (r === 2) { f = b ^ c ^ d; g = (3 * i + 5) % 16; }
        else { f = c ^ (b | ~d); g = (7 * i) % 16; }
        const tmp = d;
        d = c;
        c = b;
        b = (b + rotl((a + f + K[i] + X[g]) | 0, S[r * 4 + (i % 4)])) | 0;
        a = tmp;
      }
      a0 = (a0 + a) | 0; b0 = (b0 + b) | 0; c0 = (c0 + c) | 0; d0 = (d0 + d) | 0;
    }
    return [].concat(...[a0, b0, c0, d0].map((w) => [w & 255, (w >>> 8) & 255, (w >>> 16) & 255, (w >>> 24) & 255]));
  }

  function sha1(bytes) {
    const m = padMessage(bytes, false, 8);
    let h = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0];
    for (let off = 0; off < m.length; off += 64) {
      const w = [];
      for (let i = 0; i < 16; i++) w[i] = wordBE(m, off + 4 * i);
      for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
      let [a, b, c, d, e] = h;
      for (let i = 0; i < 80; i++) {
        const f = i < 20 ? (b & c) | (~b & d) : i < 40 ? b ^ c ^ d : i < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
        const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc | 0 : 0xca62c1d6 | 0;
        const t = (rotl(a, 5) + f + e + k + w[i]) | 0;
        e = d; d = c; c = rotl(b, 30); b = a; a = t;
      }
      h = h.map((x, i) => (x + [a, b, c, d, e][i]) | 0);
    }
    return wordsToBytesBE(h);
  }

  const K256 = [];
  (function () {
    const primes = [];
    for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p)) primes.push(n);
    primes.forEach((p) => K256.push((Math.pow(p, 1 / 3) % 1) * 4294967296 | 0));
  })();
  function sha256(bytes, is224) {
    const m = padMessage(bytes, false, 8);
    let h = is224
      ? [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4].map((x) => x | 0)
      : [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19].map((x) => x | 0);
    for (let off = 0; off < m.length; off += 64) {
      const w = [];
      for (let i = 0; i < 16; i++) w[i] = wordBE(m, off + 4 * i);
      for (let i = 16; i < 64; i++) {
        const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      let [a, b, c, d, e, f, g, hh] = h;
      for (let i = 0; i < 64; i++) {
        const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i]) | 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h = h.map((x, i) => (x + [a, b, c, d, e, f, g, hh][i]) | 0);
    }
    return wordsToBytesBE(is224 ? h.slice(0, 7) : h);
  }

  // SHA-512 with BigInt words: slow but fine for the short strings scripts sign.
  const M64 = (1n << 64n) - 1n;
  const rotr64 = (x, n) => ((x >> n) | (x << (64n - n))) & M64;
  let K512 = null;
  function sha512Constants() {
    const primes = [];
    for (let n = 2; primes.length < 80; n++) if (primes.every((p) => n % p)) primes.push(n);
    // 64 fractional bits of cube roots: computed with integer cube roots of p * 2^192.
    return primes.map((p) => {
      const target = BigInt(p) << 192n;
      let x = BigInt(Math.floor(Math.cbrt(p) * 2 ** 52)) << 12n;
      for (let i = 0; i < 8; i++) x = (2n * x + target / (x * x)) / 3n;
      while (x * x * x > target) x -= 1n;
      while ((x + 1n) * (x + 1n) * (x + 1n) <= target) x += 1n;
      return x & M64;
    });
  }
  function sqrtFrac64(p) {
    const target = BigInt(p) << 128n;
    let x = BigInt(Math.floor(Math.sqrt(p) * 2 ** 52)) << 12n;
    for (let i = 0; i < 8; i++) x = (x + target / x) / 2n;
    while (x * x > target) x -= 1n;
    while ((x + 1n) * (x + 1n) <= target) x += 1n;
    return x & M64;
  }
  function sha512(bytes, is384) {
    if (!K512) K512 = sha512Constants();
    const m = padMessage(bytes, false, 16);
    const firstPrimes = is384 ? [23, 29, 31, 37, 41, 43, 47, 53] : [2, 3, 5, 7, 11, 13, 17, 19];
    let h = firstPrimes.map(sqrtFrac64);
    for (let off = 0; off < m.length; off += 128) {
      const w = [];
      for (let i = 0; i < 16; i++) {
        let v = 0n;
        for (let j = 0; j < 8; j++) v = (v << 8n) | BigInt(m[off + 8 * i + j]);
        w[i] = v;
      }
      for (let i = 16; i < 80; i++) {
        const s0 = rotr64(w[i - 15], 1n) ^ rotr64(w[i - 15], 8n) ^ (w[i - 15] >> 7n);
        const s1 = rotr64(w[i - 2], 19n) ^ rotr64(w[i - 2], 61n) ^ (w[i - 2] >> 6n);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) & M64;
      }
      let [a, b, c, d, e, f, g, hh] = h;
      for (let i = 0; i < 80; i++) {
        const t1 = (hh + (rotr64(e, 14n) ^ rotr64(e, 18n) ^ rotr64(e, 41n)) + ((e & f) ^ (~e & M64 & g)) + K512[i] + w[i]) & M64;
        const t2 = ((rotr64(a, 28n) ^ rotr64(a, 34n) ^ rotr64(a, 39n)) + ((a & b) ^ (a & c) ^ (b & c))) & M64;
        hh = g; g = f; f = e; e = (d + t1) & M64; d = c; c = b; b = a; a = (t1 + t2) & M64;
      }
      h = h.map((x, i) => (x + [a, b, c, d, e, f, g, hh][i]) & M64);
    }
    const out = [];
    (is384 ? h.slice(0, 6) : h).forEach((v) => {
      for (let j = 7; j >= 0; j--) out.push(Number((v >> BigInt(8 * j)) & 255n));
    });
    return out;
  }

  const HASHES = {
    MD5: [md5, 64],
    SHA1: [sha1, 64],
    SHA224: [(b) => sha256(b, true), 64],
    SHA256: [(b) => sha256(b, false), 64],
    SHA384: [(b) => sha512(b, true), 128],
    SHA512: [(b) => sha512(b, false), 128],
  };
  function hmac(hash, blockSize, key, msg) {
    let k = key.length > blockSize ? hash(key) : key.slice();
    while (k.length < blockSize) k.push(0);
    const inner = hash(k.map((x) => x ^ 0x36).concat(msg));
    return hash(k.map((x) => x ^ 0x5c).concat(inner));
  }
  pg.hashBytes = (name, bytes) => HASHES[name][0](bytes);

  const CryptoJS = {
    lib: { WordArray: WordArray },
    enc: { Hex: Hex, Base64: Base64, Base64url: Base64url, Utf8: Utf8, Latin1: Latin1 },
  };
  Object.keys(HASHES).forEach((name) => {
    const [fn, block] = HASHES[name];
    CryptoJS[name] = (msg) => new WordArray(fn(toBytes(msg)));
    CryptoJS["Hmac" + name] = (msg, key) => new WordArray(hmac(fn, block, toBytes(key), toBytes(msg)));
  });
  const unsupported = (what) => () => {
    throw new Error("CryptoJS." + what + " is not supported in the postman-gen sandbox");
  };
  ["AES", "DES", "TripleDES", "RC4", "Rabbit"].forEach((c) => (CryptoJS[c] = { encrypt: unsupported(c), decrypt: unsupported(c) }));
  CryptoJS.PBKDF2 = unsupported("PBKDF2");
  pg.CryptoJS = CryptoJS;

  pg.webCrypto = {
    getRandomValues(arr) {
      for (let i = 0; i < arr.length; i++) arr[i] = Math.floor(Math.random() * 4294967296);
      return arr;
    },
    randomUUID: () => pg.uuidV4(),
  };
})(globalThis.__pg);
