/*
 * Handreiking — the Dutch Snowball stemmer, for the search page.
 *
 * The engine stems the index with the Snowball Dutch stemmer of the Rust crate rust-stemmers (1.2, generated
 * from Snowball's dutch.sbl, Martin Porter's Dutch algorithm). A query word must get exactly the same stem, so
 * this is a line-by-line port of that generated code, including its detail of counting positions in UTF-8
 * bytes (`p1` is at least byte 3). tests/browser/zoeken-kern.test.mjs checks it against the stems in the
 * index for every word of the shipped site. Words with a digit are not stemmed (as in the engine).
 *
 * Defines window.HandreikingStam(word) -> stem. No dependencies.
 */
(function (global) {
  'use strict';

  function utf8(text) {
    var bytes = [];
    for (var i = 0; i < text.length; i++) {
      var c = text.codePointAt(i);
      if (c > 0xffff) i++;
      if (c < 0x80) bytes.push(c);
      else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return bytes;
  }

  /** The code point that starts at byte `i`, and its length in bytes. */
  function codePointAt(bytes, i) {
    var b = bytes[i];
    if (b < 0x80) return [b, 1];
    if (b < 0xe0) return [((b & 31) << 6) | (bytes[i + 1] & 63), 2];
    if (b < 0xf0) return [((b & 15) << 12) | ((bytes[i + 1] & 63) << 6) | (bytes[i + 2] & 63), 3];
    return [((b & 7) << 18) | ((bytes[i + 1] & 63) << 12) | ((bytes[i + 2] & 63) << 6) | (bytes[i + 3] & 63), 4];
  }

  function fromUtf8(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length; ) {
      var c = codePointAt(bytes, i);
      out += String.fromCodePoint(c[0]);
      i += c[1];
    }
    return out;
  }

  function among(text, substringI, result) {
    return { s: utf8(text), i: substringI, result: result };
  }

  var A_0 = [
    among('', -1, 6),
    among('\u00e1', 0, 1),
    among('\u00e4', 0, 1),
    among('\u00e9', 0, 2),
    among('\u00eb', 0, 2),
    among('\u00ed', 0, 3),
    among('\u00ef', 0, 3),
    among('\u00f3', 0, 4),
    among('\u00f6', 0, 4),
    among('\u00fa', 0, 5),
    among('\u00fc', 0, 5),
  ];
  var A_1 = [among('', -1, 3), among('I', 0, 2), among('Y', 0, 1)];
  var A_2 = [among('dd', -1, -1), among('kk', -1, -1), among('tt', -1, -1)];
  var A_3 = [among('ene', -1, 2), among('se', -1, 3), among('en', -1, 2), among('heden', 2, 1), among('s', -1, 3)];
  var A_4 = [among('end', -1, 1), among('ig', -1, 2), among('ing', -1, 1), among('lijk', -1, 3), among('baar', -1, 4), among('bar', -1, 5)];
  var A_5 = [among('aa', -1, -1), among('ee', -1, -1), among('oo', -1, -1), among('uu', -1, -1)];

  var G_v = [17, 65, 16, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128];
  var G_v_I = [1, 0, 0, 17, 65, 16, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128];
  var G_v_j = [17, 67, 16, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128];

  /** Snowball's environment over the UTF-8 bytes of a word (rust-stemmers' SnowballEnv). */
  function Env(word) {
    this.b = utf8(word);
    this.cursor = 0;
    this.limit = this.b.length;
    this.limitBackward = 0;
    this.bra = 0;
    this.ket = this.b.length;
  }

  Env.prototype.isBoundary = function (i) {
    if (i === 0 || i === this.b.length) return true;
    if (i > this.b.length) return false;
    return (this.b[i] & 0xc0) !== 0x80;
  };

  Env.prototype.startsWithAt = function (at, s) {
    if (at + s.length > this.b.length) return false;
    for (var k = 0; k < s.length; k++) if (this.b[at + k] !== s[k]) return false;
    return true;
  };

  Env.prototype.replace = function (bra, ket, s) {
    var adjustment = s.length - (ket - bra);
    var args = [bra, ket - bra].concat(s);
    Array.prototype.splice.apply(this.b, args);
    this.limit += adjustment;
    if (this.cursor >= ket) this.cursor += adjustment;
    else if (this.cursor > bra) this.cursor = bra;
    return adjustment;
  };

  Env.prototype.eqS = function (text) {
    if (this.cursor >= this.limit) return false;
    var s = utf8(text);
    if (!this.startsWithAt(this.cursor, s)) return false;
    this.cursor += s.length;
    while (!this.isBoundary(this.cursor)) this.cursor += 1;
    return true;
  };

  Env.prototype.eqSB = function (text) {
    var s = utf8(text);
    if (this.cursor - this.limitBackward < s.length) return false;
    if (!this.isBoundary(this.cursor - s.length) || !this.startsWithAt(this.cursor - s.length, s)) return false;
    this.cursor -= s.length;
    return true;
  };

  Env.prototype.sliceFrom = function (text) {
    this.replace(this.bra, this.ket, utf8(text));
    return true;
  };

  Env.prototype.sliceDel = function () {
    return this.sliceFrom('');
  };

  Env.prototype.nextChar = function () {
    this.cursor += 1;
    while (!this.isBoundary(this.cursor)) this.cursor += 1;
  };

  Env.prototype.previousChar = function () {
    this.cursor -= 1;
    while (!this.isBoundary(this.cursor)) this.cursor -= 1;
  };

  function inSet(chars, ch, min, max) {
    if (ch > max || ch < min) return false;
    ch -= min;
    return (chars[ch >> 3] & (1 << (ch & 7))) !== 0;
  }

  Env.prototype.inGrouping = function (chars, min, max) {
    if (this.cursor >= this.limit) return false;
    if (!inSet(chars, codePointAt(this.b, this.cursor)[0], min, max)) return false;
    this.nextChar();
    return true;
  };

  Env.prototype.outGrouping = function (chars, min, max) {
    if (this.cursor >= this.limit) return false;
    if (inSet(chars, codePointAt(this.b, this.cursor)[0], min, max)) return false;
    this.nextChar();
    return true;
  };

  Env.prototype.outGroupingB = function (chars, min, max) {
    if (this.cursor <= this.limitBackward) return false;
    this.previousChar();
    var ch = codePointAt(this.b, this.cursor)[0];
    this.nextChar();
    if (inSet(chars, ch, min, max)) return false;
    this.previousChar();
    return true;
  };

  Env.prototype.findAmong = function (amongs) {
    var i = 0;
    var j = amongs.length;
    var c = this.cursor;
    var l = this.limit;
    var commonI = 0;
    var commonJ = 0;
    var firstKeyInspected = false;
    for (;;) {
      var k = i + ((j - i) >> 1);
      var diff = 0;
      var common = Math.min(commonI, commonJ);
      var w = amongs[k];
      for (var lvar = common; lvar < w.s.length; lvar++) {
        if (c + common === l) {
          diff = -1;
          break;
        }
        diff = this.b[c + common] - w.s[lvar];
        if (diff !== 0) break;
        common += 1;
      }
      if (diff < 0) {
        j = k;
        commonJ = common;
      } else {
        i = k;
        commonI = common;
      }
      if (j - i <= 1) {
        if (i > 0 || j === i || firstKeyInspected) break;
        firstKeyInspected = true;
      }
    }
    for (;;) {
      var found = amongs[i];
      if (commonI >= found.s.length) {
        this.cursor = c + found.s.length;
        return found.result;
      }
      i = found.i;
      if (i < 0) return 0;
    }
  };

  Env.prototype.findAmongB = function (amongs) {
    var i = 0;
    var j = amongs.length;
    var c = this.cursor;
    var lb = this.limitBackward;
    var commonI = 0;
    var commonJ = 0;
    var firstKeyInspected = false;
    for (;;) {
      var k = i + ((j - i) >> 1);
      var diff = 0;
      var common = Math.min(commonI, commonJ);
      var w = amongs[k];
      for (var lvar = w.s.length - common - 1; lvar >= 0; lvar--) {
        if (c - common === lb) {
          diff = -1;
          break;
        }
        diff = this.b[c - common - 1] - w.s[lvar];
        if (diff !== 0) break;
        common += 1;
      }
      if (diff < 0) {
        j = k;
        commonJ = common;
      } else {
        i = k;
        commonI = common;
      }
      if (j - i <= 1) {
        if (i > 0 || j === i || firstKeyInspected) break;
        firstKeyInspected = true;
      }
    }
    for (;;) {
      var found = amongs[i];
      if (commonI >= found.s.length) {
        this.cursor = c - found.s.length;
        return found.result;
      }
      i = found.i;
      if (i < 0) return 0;
    }
  };

  // ---------- The algorithm (dutch.sbl; the comments name its lines) ----------

  var REPLACE_ACCENT = { 1: 'a', 2: 'e', 3: 'i', 4: 'o', 5: 'u' };

  /** Removes accents, and marks i and y between vowels (and a leading y) as consonants: I, Y. */
  function prelude(env) {
    var v1 = env.cursor;
    for (;;) {
      var v2 = env.cursor;
      env.bra = env.cursor;
      var amongVar = env.findAmong(A_0);
      if (amongVar !== 0) {
        env.ket = env.cursor;
        if (amongVar <= 5) {
          env.sliceFrom(REPLACE_ACCENT[amongVar]);
          continue;
        }
        if (env.cursor < env.limit) {
          env.nextChar();
          continue;
        }
      }
      env.cursor = v2;
      break;
    }
    env.cursor = v1;
    var v3 = env.cursor;
    env.bra = env.cursor;
    if (env.eqS('y')) {
      env.ket = env.cursor;
      env.sliceFrom('Y');
    } else {
      env.cursor = v3;
    }
    for (;;) {
      var v4 = env.cursor;
      if (!goToVowelPair(env)) {
        env.cursor = v4;
        break;
      }
    }
  }

  /** Line 58-60: goto (v [('i' ] v <- 'I') or ('y' ] <- 'Y')). False when no such place is left. */
  function goToVowelPair(env) {
    for (;;) {
      var v5 = env.cursor;
      if (env.inGrouping(G_v, 97, 232)) {
        env.bra = env.cursor;
        var v6 = env.cursor;
        var done = false;
        if (env.eqS('i')) {
          env.ket = env.cursor;
          if (env.inGrouping(G_v, 97, 232)) {
            env.sliceFrom('I');
            done = true;
          }
        }
        if (!done) {
          env.cursor = v6;
          if (env.eqS('y')) {
            env.ket = env.cursor;
            env.sliceFrom('Y');
            done = true;
          }
        }
        if (done) {
          env.cursor = v5;
          return true;
        }
      }
      env.cursor = v5;
      if (env.cursor >= env.limit) return false;
      env.nextChar();
    }
  }

  /** gopast: moves past the first character in (or, with `out`, not in) G_v. */
  function goPast(env, out) {
    for (;;) {
      if (out ? env.outGrouping(G_v, 97, 232) : env.inGrouping(G_v, 97, 232)) return true;
      if (env.cursor >= env.limit) return false;
      env.nextChar();
    }
  }

  function markRegions(env, ctx) {
    ctx.p1 = env.limit;
    ctx.p2 = env.limit;
    if (!goPast(env, false) || !goPast(env, true)) return;
    ctx.p1 = env.cursor;
    if (ctx.p1 < 3) ctx.p1 = 3;
    if (!goPast(env, false) || !goPast(env, true)) return;
    ctx.p2 = env.cursor;
  }

  function postlude(env) {
    for (;;) {
      var v1 = env.cursor;
      env.bra = env.cursor;
      var amongVar = env.findAmong(A_1);
      if (amongVar !== 0) {
        env.ket = env.cursor;
        if (amongVar === 1) {
          env.sliceFrom('y');
          continue;
        }
        if (amongVar === 2) {
          env.sliceFrom('i');
          continue;
        }
        if (env.cursor < env.limit) {
          env.nextChar();
          continue;
        }
      }
      env.cursor = v1;
      break;
    }
  }

  function r1(env, ctx) {
    return ctx.p1 <= env.cursor;
  }

  function r2(env, ctx) {
    return ctx.p2 <= env.cursor;
  }

  function undouble(env) {
    var v1 = env.limit - env.cursor;
    if (env.findAmongB(A_2) === 0) return false;
    env.cursor = env.limit - v1;
    env.ket = env.cursor;
    if (env.cursor <= env.limitBackward) return false;
    env.previousChar();
    env.bra = env.cursor;
    env.sliceDel();
    return true;
  }

  function eEnding(env, ctx) {
    ctx.eFound = false;
    env.ket = env.cursor;
    if (!env.eqSB('e')) return false;
    env.bra = env.cursor;
    if (!r1(env, ctx)) return false;
    var v1 = env.limit - env.cursor;
    if (!env.outGroupingB(G_v, 97, 232)) return false;
    env.cursor = env.limit - v1;
    env.sliceDel();
    ctx.eFound = true;
    return undouble(env);
  }

  function enEnding(env, ctx) {
    if (!r1(env, ctx)) return false;
    var v1 = env.limit - env.cursor;
    if (!env.outGroupingB(G_v, 97, 232)) return false;
    env.cursor = env.limit - v1;
    var v2 = env.limit - env.cursor;
    if (env.eqSB('gem')) return false;
    env.cursor = env.limit - v2;
    env.sliceDel();
    return undouble(env);
  }

  /** Lines 107-117: -heden, -en(e), -s(e). */
  function stepOne(env, ctx) {
    env.ket = env.cursor;
    var amongVar = env.findAmongB(A_3);
    if (amongVar === 0) return;
    env.bra = env.cursor;
    if (amongVar === 1) {
      if (r1(env, ctx)) env.sliceFrom('heid');
    } else if (amongVar === 2) {
      enEnding(env, ctx);
    } else if (r1(env, ctx) && env.outGroupingB(G_v_j, 97, 232)) {
      env.sliceDel();
    }
  }

  /** Line 122-123: -heid, then -en. */
  function stepHeid(env, ctx) {
    env.ket = env.cursor;
    if (!env.eqSB('heid')) return;
    env.bra = env.cursor;
    if (!r2(env, ctx)) return;
    var v4 = env.limit - env.cursor;
    if (env.eqSB('c')) return;
    env.cursor = env.limit - v4;
    env.sliceDel();
    env.ket = env.cursor;
    if (!env.eqSB('en')) return;
    env.bra = env.cursor;
    enEnding(env, ctx);
  }

  /** Lines 126-143: -end, -ing, -ig, -lijk, -baar, -bar. */
  function stepDerivational(env, ctx) {
    env.ket = env.cursor;
    var amongVar = env.findAmongB(A_4);
    if (amongVar === 0) return;
    env.bra = env.cursor;
    if (!r2(env, ctx)) return;
    if (amongVar === 1) {
      env.sliceDel();
      var v6 = env.limit - env.cursor;
      env.ket = env.cursor;
      if (env.eqSB('ig')) {
        env.bra = env.cursor;
        if (r2(env, ctx)) {
          var v7 = env.limit - env.cursor;
          if (!env.eqSB('e')) {
            env.cursor = env.limit - v7;
            env.sliceDel();
            return;
          }
        }
      }
      env.cursor = env.limit - v6;
      undouble(env);
    } else if (amongVar === 2) {
      var v8 = env.limit - env.cursor;
      if (env.eqSB('e')) return;
      env.cursor = env.limit - v8;
      env.sliceDel();
    } else if (amongVar === 3) {
      env.sliceDel();
      eEnding(env, ctx);
    } else if (amongVar === 4) {
      env.sliceDel();
    } else if (ctx.eFound) {
      env.sliceDel();
    }
  }

  /** Lines 146-152: a double vowel before a final consonant becomes single (aa, ee, oo, uu). */
  function stepVowel(env) {
    if (!env.outGroupingB(G_v_I, 73, 232)) return;
    var v10 = env.limit - env.cursor;
    if (env.findAmongB(A_5) === 0) return;
    if (!env.outGroupingB(G_v, 97, 232)) return;
    env.cursor = env.limit - v10;
    env.ket = env.cursor;
    if (env.cursor <= env.limitBackward) return;
    env.previousChar();
    env.bra = env.cursor;
    env.sliceDel();
  }

  function standardSuffix(env, ctx) {
    var v1 = env.limit - env.cursor;
    stepOne(env, ctx);
    env.cursor = env.limit - v1;
    var v2 = env.limit - env.cursor;
    eEnding(env, ctx);
    env.cursor = env.limit - v2;
    var v3 = env.limit - env.cursor;
    stepHeid(env, ctx);
    env.cursor = env.limit - v3;
    var v5 = env.limit - env.cursor;
    stepDerivational(env, ctx);
    env.cursor = env.limit - v5;
    var v9 = env.limit - env.cursor;
    stepVowel(env);
    env.cursor = env.limit - v9;
  }

  var DIGIT = /[0-9]/;

  /** The Snowball Dutch stem of a normalised word, as the engine makes it. */
  function stem(word) {
    if (DIGIT.test(word)) return word;
    var env = new Env(word);
    var ctx = { p1: 0, p2: 0, eFound: false };
    var v1 = env.cursor;
    prelude(env);
    env.cursor = v1;
    var v2 = env.cursor;
    markRegions(env, ctx);
    env.cursor = v2;
    env.limitBackward = env.cursor;
    env.cursor = env.limit;
    var v3 = env.limit - env.cursor;
    standardSuffix(env, ctx);
    env.cursor = env.limit - v3;
    env.cursor = env.limitBackward;
    var v4 = env.cursor;
    postlude(env);
    env.cursor = v4;
    return fromUtf8(env.b);
  }

  global.HandreikingStam = stem;
})(typeof window !== 'undefined' ? window : this);
