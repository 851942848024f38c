// The sandbox's own code runs on pristine built-ins whatever a script did to them.
// Loaded last: it records every property of the built-in objects (and their prototypes' links) as the
// library left them; __pg.restoreBuiltins() puts them back (deleting what a script added, such as
// Object.prototype.toJSON, and restoring what it replaced, such as JSON.stringify). The bridge calls it
// before collecting a script's results, when that script's code is done: our code then runs on pristine
// built-ins, and so does the next script of the request (between requests js/96_reuse.js scrubs the rest). A
// script's own globals (`utils = ...` without a declaration) are left alone.
"use strict";
(function (pg) {
  const ownKeys = Reflect.ownKeys;
  const getDescriptor = Object.getOwnPropertyDescriptor;
  const defineProperty = Reflect.defineProperty;
  const deleteProperty = Reflect.deleteProperty;
  const getPrototypeOf = Reflect.getPrototypeOf;
  const setPrototypeOf = Reflect.setPrototypeOf;
  const apply = Reflect.apply;
  const push = Array.prototype.push;

  const iteratorProto = getPrototypeOf(getPrototypeOf([][Symbol.iterator]()));
  const typedArrayProto = getPrototypeOf(Uint8Array.prototype);
  const intrinsics = [
    Object, Object.prototype, Function, Function.prototype, Array, Array.prototype,
    String, String.prototype, Number, Number.prototype, Boolean, Boolean.prototype,
    Symbol, Symbol.prototype, BigInt, BigInt.prototype, JSON, Math, Reflect,
    Map, Map.prototype, Set, Set.prototype, WeakMap, WeakMap.prototype, WeakSet, WeakSet.prototype,
    Promise, Promise.prototype, Error, Error.prototype, TypeError, TypeError.prototype,
    RangeError, RangeError.prototype, SyntaxError, SyntaxError.prototype,
    RegExp, RegExp.prototype, Date, Date.prototype, ArrayBuffer, ArrayBuffer.prototype,
    Uint8Array, Uint8Array.prototype, typedArrayProto, getPrototypeOf(Uint8Array),
    iteratorProto, getPrototypeOf([][Symbol.iterator]()), getPrototypeOf(new Map()[Symbol.iterator]()),
    getPrototypeOf(new Set()[Symbol.iterator]()), getPrototypeOf(""[Symbol.iterator]()),
    getPrototypeOf(/a/[Symbol.matchAll]("")),
  ];
  const saved = [];
  for (let i = 0; i < intrinsics.length; i++) {
    const target = intrinsics[i];
    const keys = ownKeys(target);
    const props = [];
    for (let j = 0; j < keys.length; j++) {
      const descriptor = getDescriptor(target, keys[j]);
      // A non-configurable property that is not writable (or an accessor) cannot change: never checked.
      const fixed = !descriptor.configurable && descriptor.writable !== true;
      apply(push, props, [[keys[j], descriptor, fixed]]);
    }
    apply(push, saved, [{ target: target, proto: getPrototypeOf(target), props: props }]);
  }
  // globalThis: its built-in names only (a script's own globals are left alone).
  const globalKeys = ownKeys(globalThis);
  const globalProps = [];
  for (let j = 0; j < globalKeys.length; j++) apply(push, globalProps, [[globalKeys[j], getDescriptor(globalThis, globalKeys[j])]]);

  // Plain loops only: a script may have replaced any method these would call.
  function known(props, key) {
    for (let j = 0; j < props.length; j++) if (props[j][0] === key) return true;
    return false;
  }
  function restoreProps(target, props, exclusive) {
    if (exclusive) {
      const now = ownKeys(target);
      // Usually nothing was added: the same keys in the same order, checked without the quadratic scan.
      let unchanged = now.length === props.length;
      for (let j = 0; unchanged && j < now.length; j++) unchanged = now[j] === props[j][0];
      for (let j = 0; !unchanged && j < now.length; j++) {
        if (!known(props, now[j]) && !deleteProperty(target, now[j])) throw new TypeError("cannot remove a property a script added to a built-in");
      }
    }
    for (let j = 0; j < props.length; j++) {
      if (props[j][2]) continue;
      const key = props[j][0];
      const descriptor = props[j][1];
      const now = getDescriptor(target, key); // compared inline: this loop runs twice per request
      if (
        now !== undefined && descriptor.value === now.value && descriptor.get === now.get && descriptor.set === now.set &&
        descriptor.writable === now.writable && descriptor.enumerable === now.enumerable && descriptor.configurable === now.configurable
      )
        continue;
      if (!defineProperty(target, key, descriptor)) throw new TypeError("cannot restore a built-in a script changed");
    }
  }

  // Throws when a script made a built-in impossible to restore (frozen it after changing it, say).
  pg.restoreBuiltins = function () {
    restoreProps(globalThis, globalProps, false);
    for (let i = 0; i < saved.length; i++) {
      const entry = saved[i];
      if (getPrototypeOf(entry.target) !== entry.proto && !setPrototypeOf(entry.target, entry.proto))
        throw new TypeError("cannot restore the prototype of a built-in");
      restoreProps(entry.target, entry.props, true);
    }
  };
})(globalThis.__pg);
