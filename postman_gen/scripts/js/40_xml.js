// A small XML reader that produces xml2js' object shape (attributes under "$", text under "_",
// children as arrays), plus Postman's legacy xml2Json().  In JS because the sandbox cannot call
// Python while its time limit runs.
"use strict";
(function (pg) {
  const ENTITIES = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
  const decode = (s) =>
    s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e) => {
      if (e[0] === "#") return String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
      return ENTITIES[e] !== undefined ? ENTITIES[e] : m;
    });

  // Parse into a neutral tree: {name, attrs: [[k, v]], children: [node | {text, cdata}]}.
  function parseTree(xml) {
    xml = String(xml).replace(/^\uFEFF/, "");
    const root = { name: null, attrs: [], children: [] };
    const stack = [root];
    let i = 0;
    const fail = (msg) => {
      const line = xml.slice(0, i).split("\n").length;
      throw new Error(msg + "\nLine: " + (line - 1));
    };
    while (i < xml.length) {
      const lt = xml.indexOf("<", i);
      if (lt < 0) {
        stack[stack.length - 1].children.push({ text: decode(xml.slice(i)) });
        break;
      }
      if (lt > i) stack[stack.length - 1].children.push({ text: decode(xml.slice(i, lt)) });
      i = lt;
      if (xml.startsWith("<!--", i)) {
        const end = xml.indexOf("-->", i);
        i = end < 0 ? xml.length : end + 3;
      } else if (xml.startsWith("<![CDATA[", i)) {
        const end = xml.indexOf("]]>", i);
        if (end < 0) fail("Unclosed CDATA section");
        stack[stack.length - 1].children.push({ text: xml.slice(i + 9, end), cdata: true });
        i = end + 3;
      } else if (xml.startsWith("<?", i)) {
        const end = xml.indexOf("?>", i);
        i = end < 0 ? xml.length : end + 2;
      } else if (xml.startsWith("<!", i)) {
        let depth = 0;
        let j = i;
        for (; j < xml.length; j++) {
          if (xml[j] === "[") depth++;
          else if (xml[j] === "]") depth--;
          else if (xml[j] === ">" && depth <= 0) break;
        }
        i = j + 1;
      } else if (xml[i + 1] === "/") {
        const end = xml.indexOf(">", i);
        const name = xml.slice(i + 2, end).trim();
        const top = stack.pop();
        if (!top || top.name !== name) fail("Unexpected close tag");
        i = end + 1;
      } else {
        const m = /^<([^\s/>]+)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>/.exec(xml.slice(i));
        if (!m) fail("Invalid character in tag");
        const node = { name: m[1], attrs: [], children: [] };
        m[2].replace(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g, (all, k, a, b, c) => {
          node.attrs.push([k, decode(a !== undefined ? a : b !== undefined ? b : c !== undefined ? c : "")]);
          return "";
        });
        stack[stack.length - 1].children.push(node);
        if (!m[3]) stack.push(node);
        i += m[0].length;
      }
    }
    if (stack.length > 1) fail("Unclosed root tag");
    const elements = root.children.filter((c) => c.name);
    if (elements.length !== 1) fail(elements.length ? "Text data outside of root node." : "Non-whitespace before first tag.");
    return elements[0];
  }

  const DEFAULTS = {
    explicitArray: true, explicitRoot: true, ignoreAttrs: false, mergeAttrs: false, attrkey: "$", charkey: "_",
    explicitCharkey: false, trim: false, normalize: false, normalizeTags: false, emptyTag: "", charsAsChildren: false,
  };

  const applyAll = (fns, value, name) => (fns || []).reduce((v, fn) => fn(v, name), value);
  const processors = {
    stripPrefix: (name) => String(name).replace(/^.*:/, ""),
    normalize: (name) => String(name).toLowerCase(),
    firstCharLowerCase: (name) => String(name).charAt(0).toLowerCase() + String(name).slice(1),
    parseNumbers: (v) => (v !== "" && !isNaN(v) ? (Number(v) % 1 === 0 ? parseInt(v, 10) : parseFloat(v)) : v),
    parseBooleans: (v) => (/^(?:true|false)$/i.test(v) ? v.toLowerCase() === "true" : v),
  };

  function tagNameOf(name, o) {
    return applyAll(o.tagNameProcessors, o.normalizeTags ? name.toLowerCase() : name);
  }

  function toObject(node, o) {
    const obj = {};
    const tagName = (n) => tagNameOf(n, o);
    if (!o.ignoreAttrs && node.attrs.length) {
      node.attrs.forEach(([k, v]) => {
        const key = applyAll(o.attrNameProcessors, k);
        const value = applyAll(o.attrValueProcessors, v, k);
        if (o.mergeAttrs) addChild(obj, key, value, o);
        else (obj[o.attrkey] = obj[o.attrkey] || {})[key] = value;
      });
    }
    let text = "";
    let cdata = false;
    node.children.forEach((c) => {
      if (c.name) {
        addChild(obj, tagName(c.name), toObject(c, o), o);
      } else {
        text += c.text;
        cdata = cdata || !!c.cdata;
      }
    });
    let emptyStr = "";
    if (/^\s*$/.test(text) && !cdata) emptyStr = text;
    else {
      if (o.trim) text = text.trim();
      if (o.normalize) text = text.replace(/\s{2,}/g, " ").trim();
      obj[o.charkey] = applyAll(o.valueProcessors, text, node.name);
    }
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === o.charkey && !o.explicitCharkey) return obj[o.charkey];
    if (!keys.length) return o.emptyTag !== "" ? o.emptyTag : emptyStr;
    return obj;
  }
  function addChild(obj, key, value, o) {
    if (!(key in obj)) obj[key] = o.explicitArray ? [value] : value;
    else if (Array.isArray(obj[key]) && (o.explicitArray || obj[key].__multi)) obj[key].push(value);
    else {
      const arr = [obj[key], value];
      Object.defineProperty(arr, "__multi", { value: true, enumerable: false });
      obj[key] = arr;
    }
  }

  function parseToObject(xml, options) {
    const o = Object.assign({}, DEFAULTS, options || {});
    const tree = parseTree(xml);
    const body = toObject(tree, o);
    if (!o.explicitRoot) return body;
    const out = {};
    out[tagNameOf(tree.name, o)] = body;
    return out;
  }

  class Parser {
    constructor(options) {
      this.options = options || {};
    }
    parseString(xml, cb) {
      let result;
      try {
        result = parseToObject(xml, this.options);
      } catch (e) {
        return cb(e);
      }
      return cb(null, result);
    }
    parseStringPromise(xml) {
      return new Promise((resolve, reject) => this.parseString(xml, (err, r) => (err ? reject(err) : resolve(r))));
    }
  }
  pg.xml2js = {
    Parser: Parser,
    parseString(xml, options, cb) {
      if (typeof options === "function") [cb, options] = [options, {}];
      return new Parser(options).parseString(xml, cb);
    },
    parseStringPromise(xml, options) {
      return new Parser(options).parseStringPromise(xml);
    },
    Builder: function () {
      throw new Error("xml2js.Builder is not supported in the postman-gen sandbox");
    },
    defaults: { "0.2": DEFAULTS },
    processors: processors,
  };
  // Postman's legacy global: the same parser with explicitArray off and trimming on.
  pg.xml2Json = (xml) => parseToObject(xml, { explicitArray: false, trim: true, mergeAttrs: false });
})(globalThis.__pg);
