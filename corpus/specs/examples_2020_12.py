"""Every example of an OpenAPI 3.1 document validated by an independent
JSON Schema 2020-12 validator (python-jsonschema, `Draft202012Validator`,
formats as annotations), to check `example-invalid` of this project's lint
against (`cargo xtask examples-2020-12`).

    python examples_2020_12.py SPEC

prints a JSON object: `checked` (pointers of every example value
validated) and `invalid` (pointer and first error of each that fails).
The walk is this script's own: a media type, parameter or header object's
`example` and `examples` (a `$ref` to `components/examples` followed)
against its `schema`; a schema's `example` and each item of its `examples`
array against that schema. `$ref`s resolve inside the document.
"""

import json
import sys
import urllib.parse

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


class Loader(yaml.SafeLoader):
    """YAML with timestamps kept as strings (JSON has no date type)."""


Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

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
            if key == "schema":
                continue
            walk(value, child(pointer, key), holders, roots)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            walk(value, child(pointer, index), holders, roots)


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


def cases(document):
    """(schema pointer, example value, example value pointer)."""
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
    checked, invalid = [], []
    for schema_at, value, value_at in cases(document):
        reference = "urn:spec#" + urllib.parse.quote(schema_at, safe="/~")
        validator = Draft202012Validator({"$ref": reference}, registry=registry)
        checked.append(value_at)
        try:
            error = next(iter(validator.iter_errors(value)), None)
        except Exception as failure:  # an unresolvable $ref, a bad regex
            invalid.append({"pointer": value_at, "error": f"not validated: {failure}"[:300]})
            continue
        if error is not None:
            invalid.append({"pointer": value_at, "error": error.message[:300]})
    json.dump({"checked": checked, "invalid": invalid}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
