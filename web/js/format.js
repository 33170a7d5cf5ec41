// The number formats the widgets show, made with d3-format, which the experiment pages load
// anyway. Intl.NumberFormat would do the same, but a page's first Intl call loads ICU's number
// data: a task of 20-40 ms here and four times that on a slow phone, just as the page's
// experiments start. The formats match what Intl.NumberFormat('en', ...) wrote before (grouping
// commas, a hyphen-minus), except that a value rounding to zero shows no minus sign.
// Without d3 (its scripts failed to load) they fall back to Intl.

const d3Format = globalThis.d3?.formatLocale?.({
  decimal: '.', thousands: ',', grouping: [3], currency: ['$', ''], minus: '-',
});

/** A format: the d3-format `specifier`, or Intl's `options` in its place when d3 is missing. */
function numberFormat(specifier, options) {
  if (d3Format) {
    return { format: d3Format.format(specifier) };
  }
  return new Intl.NumberFormat('en', options);
}

/** Counts and sizes: grouped, at most three decimals (Intl's default). */
export const COUNT = numberFormat(',.3~f', {});

/** Matrix entries and summaries: at most four decimals, trailing zeros dropped. */
export const FIXED = numberFormat(',.4~f', { maximumFractionDigits: 4 });

/** Exactly `digits` decimals. */
export function decimals(digits) {
  return numberFormat(`,.${digits}f`,
    { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `digits` significant digits at most, trailing zeros dropped. */
export function significant(digits) {
  return numberFormat(`,.${digits}~r`, { maximumSignificantDigits: digits });
}
