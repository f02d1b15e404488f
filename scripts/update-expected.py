#!/usr/bin/env python3
"""Writes the diagnostics recorded by `UPDATE_EXPECTED=1 cargo nextest run --test errors --test hostile`
(target/expected-updates/) into the tests, in place of the expected text they replace. Review the
diff before committing: the recorded text is what the tool prints now, right or wrong."""
import glob, json, os, re, sys

def literal(line):
    out = []
    for c in line:
        if c == '\\': out.append('\\\\')
        elif c == '"': out.append('\\"')
        elif c == '\n': out.append('\\n')
        elif c == '\t': out.append('\\t')
        elif ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 or c in '\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069':
            out.append('\\u{%x}' % ord(c))
        else: out.append(c)
    return '"' + ''.join(out) + '"'

def rust_text(text, indent):
    lines = text.splitlines(keepends=True) or ['']
    if len(lines) == 1:
        return literal(lines[0])
    pad = ' ' * (indent + 4)
    return 'concat!(\n' + ''.join(f'{pad}{literal(l)},\n' for l in lines) + ' ' * indent + ')'

root = os.path.join(os.path.dirname(__file__), '..')
records = [json.load(open(p)) for p in glob.glob(os.path.join(root, 'target/expected-updates/*.json'))]
for path in sys.argv[1:] or glob.glob(os.path.join(root, 'tests/*.rs')):
    text = open(path).read()
    changed = False
    for r in records:
        old = literal(r['expected'])
        at = text.find(old)
        if at < 0:
            # Written as `concat!("line\n", ...)`: find the block with exactly these lines.
            lines = [literal(l) for l in r['expected'].splitlines(keepends=True)]
            for block in re.finditer(r'concat!\(\s*((?:"(?:[^"\\]|\\.)*",?\s*)+)\)', text):
                found = re.findall(r'"(?:[^"\\]|\\.)*"', block.group(1))
                if found == lines:
                    at, old = block.start(), block.group(0)
                    break
        if at < 0:
            continue
        if text.count(old) > 1:
            print(f'{path}: {old} stands there more than once; give each call its own placeholder text')
            continue
        line_start = text.rfind('\n', 0, at) + 1
        indent = len(text[line_start:at]) - len(text[line_start:at].lstrip())
        text = text[:at] + rust_text(r['actual'], indent) + text[at + len(old):]
        changed = True
    if changed:
        open(path, 'w').write(text)
        print('updated', path)
