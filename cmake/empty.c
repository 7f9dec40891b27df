/* empty: keeps a module library valid while its folder has no sources yet. */
typedef int fk_empty_translation_unit;
