// The external ID types the demo committee defines, which `identifiers` in a person write must use.
// A real database's types are set up by NGP VAN for the client (`dwid`, `votervanid`, …); `imisid`
// stands for the one an association would ask for to hold its iMIS IDs (DESIGN §10.6), `legacyid`
// for a member number from a system before it, so a push can send two.

export const DEMO_IDENTIFIER_TYPES: readonly string[] = ['imisid', 'legacyid'];

/** The committee's own spelling of `type`, or undefined when it defines no such type (case is not significant: a guess). */
export function knownIdentifierType(type: string): string | undefined {
  return DEMO_IDENTIFIER_TYPES.find((t) => t.toLowerCase() === type.trim().toLowerCase());
}
