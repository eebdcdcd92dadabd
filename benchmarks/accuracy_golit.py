"""Just enough of Go to read string examples out of peers' rule and test files.

Tokens, a small expression parser (literals, names, ``+``, calls, composite literals) and an evaluator
that knows string literals, names bound to them, concatenation and ``fmt.Sprintf``. Anything else (a
generated secret, a slice, a helper of the peer's) evaluates to ``None`` and the example is skipped.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass

TOKEN = re.compile(
    r"""(?P<ws>\s+|//[^\n]*|/\*.*?\*/)
    |(?P<raw>`[^`]*`)
    |(?P<str>"(?:[^"\\\n]|\\.)*")
    |(?P<chr>'(?:[^'\\\n]|\\.)*')
    |(?P<num>\d[\w.]*)
    |(?P<ident>[A-Za-z_]\w*)
    |(?P<op>\.\.\.|:=|&&|\|\||<-|[-+*/%&|^<>=!]=|.)""",
    re.S | re.X,
)
BINARY = {"+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "|", "&", "^"}


@dataclass(frozen=True)
class Tok:
    kind: str  # str, ident, num, op
    text: str
    value: str | None = None  # decoded string literal


def unquote(text: str) -> str | None:
    """A Go interpreted string literal as Python reads it (the escapes agree), or None."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


def tokens(source: str) -> list[Tok]:
    out = []
    for m in TOKEN.finditer(source):
        kind = m.lastgroup
        text = m.group()
        if kind == "ws":
            continue
        if kind == "raw":
            out.append(Tok("str", text, text[1:-1].replace("\r", "")))
        elif kind == "str":
            out.append(Tok("str", text, unquote(text)))
        else:
            out.append(Tok("op" if kind == "chr" else kind, text))
    return out


# Nodes: ("str", s) ("name", "a.b") ("call", name, [args], spread) ("list", [elems]) ("kv", key, value)
# ("concat", [parts]) ("other",)
Node = tuple
OTHER: Node = ("other",)


class Parser:
    """Recursive descent over a token list from position ``i``."""

    def __init__(self, toks: list[Tok], i: int = 0) -> None:
        self.toks, self.i = toks, i

    def peek(self, ahead: int = 0) -> str:
        j = self.i + ahead
        return self.toks[j].text if j < len(self.toks) else ""

    def take(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def skip_balanced(self) -> None:
        """Skip one bracketed group starting at the current opening bracket."""
        pairs = {"(": ")", "[": "]", "{": "}"}
        stack = [pairs[self.take().text]]
        while stack and self.i < len(self.toks):
            text = self.take().text
            if text in pairs:
                stack.append(pairs[text])
            elif text == stack[-1]:
                stack.pop()

    def expr(self) -> Node:
        parts, plain = [self.unary()], True
        while self.peek() in BINARY:
            plain &= self.take().text == "+"
            parts.append(self.unary())
        if len(parts) == 1:
            return parts[0]
        return ("concat", parts) if plain else OTHER

    def unary(self) -> Node:
        if self.peek() in {"&", "-", "!", "*", "^"}:
            op = self.take().text
            inner = self.unary()
            return inner if op == "&" else OTHER
        return self.postfix(self.primary())

    def primary(self) -> Node:
        if self.i >= len(self.toks):
            return OTHER
        tok = self.peek()
        if tok == "(":
            self.take()
            node = self.expr()
            if self.peek() == ")":
                self.take()
            return node
        if tok == "[" or tok in {"map", "struct"}:
            self.skip_type()
            return self.composite() if self.peek() == "{" else OTHER
        if tok == "{":
            return self.composite()
        t = self.take()
        if t.kind == "str":
            return ("str", t.value) if t.value is not None else OTHER
        if t.kind == "ident":
            name = t.text
            while self.peek() == "." and self.peek(1) and self.toks[self.i + 1].kind == "ident":
                self.take()
                name += "." + self.take().text
            return ("name", name)
        return OTHER

    def skip_type(self) -> None:
        while self.peek() == "[":
            self.skip_balanced()
        if self.peek() == "map":
            self.take()
            self.skip_balanced()
        if self.peek() == "struct":
            self.take()
            self.skip_balanced()
        elif self.peek() == "*" or (self.i < len(self.toks) and self.toks[self.i].kind == "ident"):
            self.primary()

    def postfix(self, node: Node) -> Node:
        while True:
            nxt = self.peek()
            if nxt == "(":
                self.take()
                args, spread = [], False
                while self.peek() not in {")", ""}:
                    args.append(self.expr())
                    if self.peek() == "...":
                        self.take()
                        spread = True
                    if self.peek() == ",":
                        self.take()
                    elif self.peek() != ")":
                        self.i -= 1
                        self.skip_to_close(")")
                        return OTHER
                self.take()
                node = ("call", node[1] if node[0] == "name" else "", args, spread)
            elif nxt == "{" and node[0] == "name" and node[1].rsplit(".", 1)[-1][:1].isupper():
                node = self.composite()
            elif nxt == "[":
                self.skip_balanced()
                node = OTHER
            elif nxt == "." and self.peek(1):
                self.take()
                self.take()
                node = OTHER
            else:
                return node

    def skip_to_close(self, close: str) -> None:
        depth = 0
        while self.i < len(self.toks):
            text = self.take().text
            if text in "([{":
                depth += 1
            elif text in ")]}":
                if depth == 0 and text == close:
                    return
                depth -= 1

    def composite(self) -> Node:
        self.take()  # {
        elems: list[Node] = []
        while self.peek() not in {"}", ""}:
            start = self.i
            elem = self.composite() if self.peek() == "{" else self.expr()
            if self.peek() == ":":
                self.take()
                value = self.composite() if self.peek() == "{" else self.expr()
                elem = ("kv", elem, value)
            elems.append(elem)
            if self.peek() == ",":
                self.take()
            elif self.peek() != "}" or self.i == start:
                self.skip_to_close("}")
                return ("list", elems)
        if self.peek() == "}":
            self.take()
        return ("list", elems)


def bindings(toks: list[Tok]) -> dict[str, str]:
    """Names bound to a constant string anywhere in the file (first binding wins)."""
    env: dict[str, str] = {}
    for i, tok in enumerate(toks):
        if tok.text not in {"=", ":="} or i == 0 or toks[i - 1].kind != "ident":
            continue
        name = toks[i - 1].text
        if i >= 3 and toks[i - 3].text in {"var", "const"} and toks[i - 2].kind == "ident":
            name = toks[i - 2].text  # var name Type = …
        if i >= 2 and toks[i - 2].text in {".", ","}:
            continue
        value = evaluate(Parser(toks, i + 1).expr(), env)
        if value is not None:
            env.setdefault(name, value)
    return env


def sprintf(fmt: str, args: list[str | None]) -> str | None:
    out, k = [], 0
    for m in re.finditer(r"%%|%[-+# 0]*\d*(?:\.\d+)?([a-zA-Z])|[^%]+|%", fmt):
        text, verb = m.group(), m.group(1)
        if text == "%%":
            out.append("%")
        elif verb is None:
            out.append(text)
        elif verb in "svqd" and k < len(args) and args[k] is not None:
            out.append(json.dumps(args[k]) if verb == "q" else str(args[k]))
            k += 1
        else:
            return None
    return "".join(out) if k == len(args) else None


def evaluate(node: Node, env: dict[str, str]) -> str | None:
    """The string value of an expression, when it is made of literals only."""
    kind = node[0]
    if kind == "str":
        return node[1]
    if kind == "name":
        return env.get(node[1])
    if kind == "concat":
        parts = [evaluate(p, env) for p in node[1]]
        return None if None in parts else "".join(parts)  # type: ignore[arg-type]
    if kind == "call" and node[1] == "fmt.Sprintf" and node[2]:
        fmt = evaluate(node[2][0], env)
        return None if fmt is None else sprintf(fmt, [evaluate(a, env) for a in node[2][1:]])
    return None
