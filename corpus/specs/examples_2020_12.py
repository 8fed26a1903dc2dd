"""Every example of an OpenAPI 3.1 document validated by an independent
JSON Schema 2020-12 validator (python-jsonschema, `Draft202012Validator`,
formats as annotations), to check `example-invalid` of this project's lint
against (`cargo xtask examples-2020-12`).

    python examples_2020_12.py SPEC

prints a JSON object: `checked` (pointers of every example value
validated), `invalid` (pointer and first error of each that fails) and
`invalid_with_formats` (pointers of those that fail with `format`
asserted too: FORMAT_CHECKER, with jsonschema's `format-nongpl` extras);
`defaults_checked` and `defaults_invalid`, the same for every schema's
`default` against that schema (lint's `constraint-contradiction`).
The walk is this script's own (extensions are not walked, but a 3.0
document's `x-webhooks`): a media type, parameter or header object's
`example` and `examples` (a `$ref` to `components/examples` followed)
against its `schema`; a schema's `example` and each item of its `examples`
array against that schema. `$ref`s resolve inside the document.
"""

import json
import re
import sys
import urllib.parse

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


class Loader(yaml.SafeLoader):
    """YAML 1.2's core schema, as OpenAPI 3.1 requires (PyYAML reads YAML
    1.1: `18:00` an integer, `yes` a boolean, `021` octal); timestamps stay
    strings (JSON has no date type)."""


Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
]:
    Loader.add_implicit_resolver(tag, re.compile(pattern), first)


def construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)


Loader.add_constructor("tag:yaml.org,2002:int", construct_int)

SUBSCHEMA = ("items", "not", "additionalProperties", "contains", "if", "then", "else",
             "propertyNames", "unevaluatedProperties", "unevaluatedItems", "contentSchema")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")


def escape(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def child(pointer, token):
    return pointer + "/" + escape(token)


def schemas(node, pointer, out):
    """Every schema object at or below `node` (a schema)."""
    if not isinstance(node, dict):
        return
    out.append((pointer, node))
    for key in SUBSCHEMA:
        if key in node:
            schemas(node[key], child(pointer, key), out)
    for key in SUBSCHEMA_LISTS:
        for index, item in enumerate(node.get(key) or [] if isinstance(node.get(key), list) else []):
            schemas(item, child(child(pointer, key), index), out)
    for key in SUBSCHEMA_MAPS:
        members = node.get(key)
        if isinstance(members, dict):
            for name, item in members.items():
                schemas(item, child(child(pointer, key), name), out)


def walk(node, pointer, holders, roots):
    """Objects holding a `schema` (media types, parameters, headers), and
    every schema's root, anywhere in the document."""
    if isinstance(node, dict):
        if isinstance(node.get("schema"), dict):
            holders.append((pointer, node))
            roots.append((child(pointer, "schema"), node["schema"]))
        for key, value in node.items():
            if key == "schema" or (key.startswith("x-") and not webhooks_extension(node, pointer, key)):
                continue
            walk(value, child(pointer, key), holders, roots)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            walk(value, child(pointer, index), holders, roots)


def webhooks_extension(node, pointer, key):
    """3.0 documents' `x-webhooks` (Redocly's convention) is structure; an
    extension is not, nor `x-webhooks` beside 3.1's own `webhooks`."""
    return pointer == "" and key == "x-webhooks" and "webhooks" not in node


def resolve(document, node):
    ref = node.get("$ref") if isinstance(node, dict) else None
    if not isinstance(ref, str) or not ref.startswith("#"):
        return node, None
    target = document
    for token in ref[1:].split("/")[1:]:
        token = urllib.parse.unquote(token).replace("~1", "/").replace("~0", "~")
        if isinstance(target, list):
            target = target[int(token)]
        else:
            target = target[token]
    return target, ref[1:]


def cases(document, defaults):
    """(schema pointer, example value, example value pointer); each
    schema's `default` the same way, into `defaults`."""
    holders, roots = [], []
    walk(document, "", holders, roots)
    components = (document.get("components") or {}).get("schemas") or {}
    for name, schema in components.items():
        roots.append((child("/components/schemas", name), schema))
    found = []
    for pointer, holder in holders:
        schema_at = child(pointer, "schema")
        if "example" in holder:
            found.append((schema_at, holder["example"], child(pointer, "example")))
        named = holder.get("examples")
        if isinstance(named, dict):
            for name, example in named.items():
                example_at = child(child(pointer, "examples"), name)
                try:
                    example, target = resolve(document, example)
                except (KeyError, IndexError, ValueError):
                    continue
                if isinstance(example, dict) and "value" in example:
                    found.append((schema_at, example["value"], child(target or example_at, "value")))
    every = []
    for pointer, root in roots:
        schemas(root, pointer, every)
    seen = set()
    for pointer, schema in every:
        if pointer in seen:
            continue
        seen.add(pointer)
        if "default" in schema:
            defaults.append((pointer, schema["default"], child(pointer, "default")))
        if "example" in schema:
            found.append((pointer, schema["example"], child(pointer, "example")))
        if isinstance(schema.get("examples"), list):
            for index, value in enumerate(schema["examples"]):
                found.append((pointer, value, child(child(pointer, "examples"), index)))
    return found


def keys_as_strings(node):
    """YAML's `200:` is an integer key; JSON's (and OpenAPI's) are strings."""
    if isinstance(node, dict):
        return {str(key): keys_as_strings(value) for key, value in node.items()}
    if isinstance(node, list):
        return [keys_as_strings(value) for value in node]
    return node


def main(path):
    with open(path, encoding="utf-8") as file:
        text = file.read()
    document = json.loads(text) if path.endswith(".json") else yaml.load(text, Loader=Loader)
    document = keys_as_strings(document)
    registry = Registry().with_resource(
        "urn:spec", Resource(contents=document, specification=DRAFT202012))
    checked, invalid, formats, defaults = [], [], [], []
    for schema_at, value, value_at in cases(document, defaults):
        reference = "urn:spec#" + urllib.parse.quote(schema_at, safe="/~")
        validator = Draft202012Validator({"$ref": reference}, registry=registry)
        asserting = Draft202012Validator(
            {"$ref": reference}, registry=registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER)
        checked.append(value_at)
        try:
            if next(iter(asserting.iter_errors(value)), None) is not None:
                formats.append(value_at)
        except Exception:  # reported below, without formats
            pass
        try:
            error = next(iter(validator.iter_errors(value)), None)
        except Exception as failure:  # an unresolvable $ref, a bad regex
            invalid.append({"pointer": value_at, "error": f"not validated: {failure}"[:300]})
            continue
        if error is not None:
            invalid.append({"pointer": value_at, "error": error.message[:300]})
    defaults_invalid = []
    for schema_at, value, value_at in defaults:
        reference = "urn:spec#" + urllib.parse.quote(schema_at, safe="/~")
        try:
            error = next(iter(Draft202012Validator(
                {"$ref": reference}, registry=registry).iter_errors(value)), None)
        except Exception as failure:  # an unresolvable $ref, a bad regex
            error = failure
        if error is not None:
            defaults_invalid.append({"pointer": value_at, "error": str(getattr(error, "message", error))[:300]})
    json.dump({
        "checked": checked, "invalid": invalid, "invalid_with_formats": formats,
        "defaults_checked": [value_at for _, _, value_at in defaults],
        "defaults_invalid": defaults_invalid,
    }, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
