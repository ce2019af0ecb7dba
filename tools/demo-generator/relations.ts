// The TACRED label set and the entity types each relation admits, as in the TAC KBP slot
// definitions TACRED was annotated against (the subject is always a PERSON or an ORGANIZATION).

export const NEGATIVE_LABEL = 'no_relation';

/**
 * The 41 positive relations, most frequent first. The order follows TACRED's train split
 * closely enough to give a realistic long tail; the generator's Zipf weights follow this rank.
 */
export const TACRED_RELATIONS = [
  'per:title',
  'org:top_members/employees',
  'per:employee_of',
  'org:alternate_names',
  'org:country_of_headquarters',
  'per:countries_of_residence',
  'per:age',
  'org:city_of_headquarters',
  'per:cities_of_residence',
  'per:stateorprovinces_of_residence',
  'per:origin',
  'org:subsidiaries',
  'org:parents',
  'per:spouse',
  'org:stateorprovince_of_headquarters',
  'per:children',
  'per:other_family',
  'org:members',
  'per:siblings',
  'per:parents',
  'per:schools_attended',
  'per:date_of_death',
  'org:founded_by',
  'org:member_of',
  'per:cause_of_death',
  'org:website',
  'org:political/religious_affiliation',
  'per:alternate_names',
  'org:founded',
  'per:city_of_death',
  'org:shareholders',
  'org:number_of_employees/members',
  'per:charges',
  'per:city_of_birth',
  'per:date_of_birth',
  'per:religion',
  'per:stateorprovince_of_birth',
  'per:country_of_birth',
  'per:stateorprovince_of_death',
  'org:dissolved',
  'per:country_of_death',
] as const;

export type RelationName = (typeof TACRED_RELATIONS)[number];

/** Every label the generator can emit; index 0 is the negative label. */
export const ALL_LABELS: readonly string[] = [NEGATIVE_LABEL, ...TACRED_RELATIONS];

export type SubjectType = 'PERSON' | 'ORGANIZATION';

export type EntityType =
  | SubjectType
  | 'CITY'
  | 'COUNTRY'
  | 'STATE_OR_PROVINCE'
  | 'LOCATION'
  | 'DATE'
  | 'NUMBER'
  | 'DURATION'
  | 'TITLE'
  | 'NATIONALITY'
  | 'RELIGION'
  | 'IDEOLOGY'
  | 'CAUSE_OF_DEATH'
  | 'CRIMINAL_CHARGE'
  | 'URL'
  | 'MISC';

/** Narrows how an object is drawn (a school is an ORGANIZATION, an age is a NUMBER, ...). */
export type EntityKind =
  | 'school'
  | 'age'
  | 'count'
  | 'birthDate'
  | 'deathDate'
  | 'foundingDate'
  | 'closingDate';

export interface ObjectOption {
  readonly type: EntityType;
  readonly weight: number;
  readonly kind?: EntityKind;
}

export interface RelationSignature {
  readonly subj: SubjectType;
  readonly obj: readonly ObjectOption[];
}

const one = (type: EntityType, kind?: EntityKind): readonly ObjectOption[] =>
  kind === undefined ? [{ type, weight: 1 }] : [{ type, weight: 1, kind }];

export const RELATION_SIGNATURES: Readonly<Record<RelationName, RelationSignature>> = {
  'org:alternate_names': { subj: 'ORGANIZATION', obj: one('ORGANIZATION') },
  'org:city_of_headquarters': { subj: 'ORGANIZATION', obj: one('CITY') },
  'org:country_of_headquarters': { subj: 'ORGANIZATION', obj: one('COUNTRY') },
  'org:dissolved': { subj: 'ORGANIZATION', obj: one('DATE', 'closingDate') },
  'org:founded': { subj: 'ORGANIZATION', obj: one('DATE', 'foundingDate') },
  'org:founded_by': { subj: 'ORGANIZATION', obj: one('PERSON') },
  'org:member_of': { subj: 'ORGANIZATION', obj: one('ORGANIZATION') },
  'org:members': {
    subj: 'ORGANIZATION',
    obj: [
      { type: 'ORGANIZATION', weight: 0.65 },
      { type: 'COUNTRY', weight: 0.35 },
    ],
  },
  'org:number_of_employees/members': { subj: 'ORGANIZATION', obj: one('NUMBER', 'count') },
  'org:parents': { subj: 'ORGANIZATION', obj: one('ORGANIZATION') },
  'org:political/religious_affiliation': {
    subj: 'ORGANIZATION',
    obj: [
      { type: 'IDEOLOGY', weight: 0.6 },
      { type: 'RELIGION', weight: 0.4 },
    ],
  },
  'org:shareholders': {
    subj: 'ORGANIZATION',
    obj: [
      { type: 'ORGANIZATION', weight: 0.5 },
      { type: 'PERSON', weight: 0.5 },
    ],
  },
  'org:stateorprovince_of_headquarters': { subj: 'ORGANIZATION', obj: one('STATE_OR_PROVINCE') },
  'org:subsidiaries': { subj: 'ORGANIZATION', obj: one('ORGANIZATION') },
  'org:top_members/employees': { subj: 'ORGANIZATION', obj: one('PERSON') },
  'org:website': { subj: 'ORGANIZATION', obj: one('URL') },
  'per:age': { subj: 'PERSON', obj: one('NUMBER', 'age') },
  'per:alternate_names': { subj: 'PERSON', obj: one('PERSON') },
  'per:cause_of_death': { subj: 'PERSON', obj: one('CAUSE_OF_DEATH') },
  'per:charges': { subj: 'PERSON', obj: one('CRIMINAL_CHARGE') },
  'per:children': { subj: 'PERSON', obj: one('PERSON') },
  'per:cities_of_residence': { subj: 'PERSON', obj: one('CITY') },
  'per:city_of_birth': { subj: 'PERSON', obj: one('CITY') },
  'per:city_of_death': { subj: 'PERSON', obj: one('CITY') },
  'per:countries_of_residence': { subj: 'PERSON', obj: one('COUNTRY') },
  'per:country_of_birth': { subj: 'PERSON', obj: one('COUNTRY') },
  'per:country_of_death': { subj: 'PERSON', obj: one('COUNTRY') },
  'per:date_of_birth': { subj: 'PERSON', obj: one('DATE', 'birthDate') },
  'per:date_of_death': { subj: 'PERSON', obj: one('DATE', 'deathDate') },
  'per:employee_of': { subj: 'PERSON', obj: one('ORGANIZATION') },
  'per:origin': { subj: 'PERSON', obj: one('NATIONALITY') },
  'per:other_family': { subj: 'PERSON', obj: one('PERSON') },
  'per:parents': { subj: 'PERSON', obj: one('PERSON') },
  'per:religion': { subj: 'PERSON', obj: one('RELIGION') },
  'per:schools_attended': { subj: 'PERSON', obj: one('ORGANIZATION', 'school') },
  'per:siblings': { subj: 'PERSON', obj: one('PERSON') },
  'per:spouse': { subj: 'PERSON', obj: one('PERSON') },
  'per:stateorprovince_of_birth': { subj: 'PERSON', obj: one('STATE_OR_PROVINCE') },
  'per:stateorprovince_of_death': { subj: 'PERSON', obj: one('STATE_OR_PROVINCE') },
  'per:stateorprovinces_of_residence': { subj: 'PERSON', obj: one('STATE_OR_PROVINCE') },
  'per:title': { subj: 'PERSON', obj: one('TITLE') },
};

/**
 * Type pairs that only ever occur unrelated. TACRED's negatives include pairs no relation
 * admits (a person and a duration, say); leaving them out would let a model learn that every
 * such pair is a giveaway.
 */
export const NEGATIVE_ONLY_PAIRS: readonly (readonly [SubjectType, EntityType])[] = [
  ['PERSON', 'LOCATION'],
  ['PERSON', 'MISC'],
  ['PERSON', 'DURATION'],
  ['ORGANIZATION', 'LOCATION'],
  ['ORGANIZATION', 'MISC'],
  ['ORGANIZATION', 'DURATION'],
];

/** Stanford CoreNLP's coarse NER tag for each KBP type, as seen in TACRED's stanford_ner. */
export const NER_TAG: Readonly<Record<EntityType, string>> = {
  PERSON: 'PERSON',
  ORGANIZATION: 'ORGANIZATION',
  CITY: 'LOCATION',
  COUNTRY: 'LOCATION',
  STATE_OR_PROVINCE: 'LOCATION',
  LOCATION: 'LOCATION',
  DATE: 'DATE',
  NUMBER: 'NUMBER',
  DURATION: 'DURATION',
  TITLE: 'O',
  NATIONALITY: 'MISC',
  RELIGION: 'MISC',
  IDEOLOGY: 'O',
  CAUSE_OF_DEATH: 'O',
  CRIMINAL_CHARGE: 'O',
  URL: 'O',
  MISC: 'MISC',
};
