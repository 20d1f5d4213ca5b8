/**
 * The one-line sources of the coverage values' expectations: the passage of BEHAVIOUR.md (contracts/BEHAVIOUR.md)
 * or the RFC section that decides each. Kept in one place so that a changed rule changes one line.
 */
export const SOURCES = {
  stringStored: 'BEHAVIOUR.md, The body: `name`: any JSON string (empty, long, any Unicode) is stored exactly as sent',
  dateStored:
    'BEHAVIOUR.md, The body: `due`: an RFC 3339 (section 5.6) date-time is stored as that instant, a real calendar date (leap days included)',
  dateRefused: 'BEHAVIOUR.md, The body: `due`: anything else: 400 (RFC 3339 5.7: date-mday by month and leap year)',
  leapYear: 'RFC 3339 Appendix C: a year divisible by 4 is a leap year, except one divisible by 100 but not by 400',
  zoneInstant:
    'BEHAVIOUR.md, The body: `due` is stored as that instant; RFC 3339 4.2: the offset, not a zone\'s rules, fixes the instant',
  offsetGrammar: 'RFC 3339 5.6: time-numoffset = ("+" / "-") time-hour ":" time-minute, hour 00-23, minute 00-59',
  offsetRefused: 'BEHAVIOUR.md, The body: `due`: anything else: 400 (RFC 3339 5.6: time-hour 00-23, time-minute 00-59)',
  fraction: 'BEHAVIOUR.md, The body: `due`: a fraction of any length (RFC 3339 5.6: time-secfrac = "." 1*DIGIT)',
  yearRange: 'BEHAVIOUR.md, The body: `due`: RFC 3339 5.6 date-fullyear = 4DIGIT, so 0000 to 9999',
  leapSecond: 'BEHAVIOUR.md, Open choices: `due` with second 60: accepted (written back as that leap second) or 400',
  leapSecondRefused: 'BEHAVIOUR.md, The body: a :60 other than 23:59:60 UTC is not a date-time (RFC 3339 5.7): 400',
  nonRfcForms: 'BEHAVIOUR.md, Open choices: `due` with a space for `T`, or a `+hh` / `+hhmm` offset: accepted or 400',
  idInvalid: 'BEHAVIOUR.md, The path id: not a positive integer: a 4xx (400 or 404) with the Error body',
  idMissing: 'BEHAVIOUR.md, The path id: an integer naming no job: 404 with the Error body',
  idTooLarge: 'BEHAVIOUR.md, The path id: 2^63 and larger are not valid ids: a 4xx (400 or 404) with the Error body',
  idOpen: 'BEHAVIOUR.md, Open choices: a path id with leading zeros or a leading `+`: 200 for that job or a 4xx',
  idPercentDigits: 'RFC 3986 6.2.2.2: percent-encoded digits name the same path once normalised, which not every server does: open',
  enumAccepted: 'BEHAVIOUR.md, The body: `isProcessing`: the strings "0", "1", "-2" and the JSON numbers 0, 1, -2 set the integer',
  enumRefused: 'BEHAVIOUR.md, The body: `isProcessing`: any other value: 400',
  enumNumberSpelling: 'RFC 8259 section 6: `1.0` and `1e0` are other spellings of a number BEHAVIOUR.md accepts as 1: open',
  authValid: 'BEHAVIOUR.md, Auth: valid: HTTP Basic with the API key as both username and password, or the query parameter key',
  authEither:
    'OpenAPI 3.0.3 Security Requirement Object: one satisfied requirement of the list authorizes; BEHAVIOUR.md, Auth: Basic or key',
  authRefused: 'BEHAVIOUR.md, Auth: missing or wrong credentials: 401',
  schemeCase: 'RFC 9110 section 11.1: the authentication scheme is case-insensitive',
  schemeSpaces: 'RFC 9110 section 11.4: credentials = auth-scheme [ 1*SP token68 ]; 5.5: whitespace around a field value is not part of it',
  acceptMatches: 'RFC 9110 section 12.5.1: this Accept admits application/json (or there is none): the same answer as without it',
  acceptUnmatched: 'RFC 9110 section 12.5.1: an Accept the response cannot meet may be answered 406 or disregarded: open',
  replay:
    'BEHAVIOUR.md, Auth: missing or wrong credentials: 401; RFC 9111 section 3.5: a stored response to an authorized request is not reused for another',
  unreadField:
    'BEHAVIOUR.md, The body: a field whose reading the document leaves unclear: accepted or refused; if accepted, nothing else changes',
  duplicateKeys: 'BEHAVIOUR.md, Open choices: duplicate keys in the JSON body: the last (or first) one wins, or 400 (RFC 8259 section 4)',
} as const;
