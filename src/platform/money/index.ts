// Money for people, in one place: amounts are integer minor units with an ISO 4217 currency
// everywhere in the code; this module turns them into what people read (pages, mail, receipts),
// what form fields and CSV cells hold, and reads back what people type into forms.
export { MAX_AMOUNT, minorDigits } from './currency.js';
export { amountExample, formatMoney, formatPrice, toMajorUnits } from './format.js';
export {
  parseMajorUnits,
  type AmountProblem,
  type ParsedAmount,
  type ParseOptions,
} from './parse.js';
