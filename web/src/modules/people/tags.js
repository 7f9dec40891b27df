// The tags a resident may carry (SPEC §2), shared by the filters and the edit form.
export const TAGS = ['elderly_alone', 'bedridden', 'disabled', 'pregnant', 'child', 'key_person', 'home_sampling']
export const RESIDENCES = ['registered', 'permanent', 'temporary', 'visitor']
export const ID_TYPES = ['resident', 'passport', 'hkmo', 'tw', 'other']
