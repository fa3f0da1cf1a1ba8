// The names of document kinds and entity types, from the service's vocabulary table
// (GET /vocabulary), fetched once. Until it arrives, or without it, a kind or type shows as its
// own name with underscores as spaces.
const kinds = new Map();
const types = new Map();

export const vocabulary = fetch("/vocabulary")
  .then((r) => (r.ok ? r.json() : { kinds: [], entity_types: [] }))
  .catch(() => ({ kinds: [], entity_types: [] }))
  .then((v) => {
    for (const k of v.kinds) kinds.set(k.kind, k);
    for (const t of v.entity_types) types.set(t.type, t.label);
    return v;
  });

const plain = (name) => name.replace(/_/g, " ");
export const kindLabel = (kind) => (kinds.has(kind) ? kinds.get(kind).label : plain(kind));
export const typeLabel = (type) => types.get(type) || plain(type);
// Where a type sits in a diagram's column: the vocabulary's order, unknown types last.
export const typeRank = (type) => {
  const order = [...types.keys()];
  return order.includes(type) ? order.indexOf(type) : order.length;
};
