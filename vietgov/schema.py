"""What the pipeline extracts: entity labels, relation types and the labels of their arguments (ANNOTATION-SPEC.md)."""

LABELS = ("OFFICIAL", "TITLE", "UNIT", "FIGURE")
# relation type -> (head label, tail label)
RELATION_TYPES = {"HAS_TITLE": ("OFFICIAL", "TITLE"), "TITLE_OF": ("TITLE", "UNIT")}
# the entity labels relations join: a pipeline without all of them has no relation component
RELATION_ARGUMENTS = tuple(sorted({label for pair in RELATION_TYPES.values() for label in pair}))
# (head label, tail label) -> relation type: the entity pairs a relation may join
RELATION_TYPE_OF = {labels: rtype for rtype, labels in RELATION_TYPES.items()}
