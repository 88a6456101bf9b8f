/** "No charge", or the amount in its currency for the reader's locale. */
export function feeText(fee: { amount: number; currency: string }, locale?: string): string {
  if (fee.amount === 0) return 'No charge';
  const whole = Number.isInteger(fee.amount);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: fee.currency,
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  }).format(fee.amount);
}

/** A validity in days as people say it: whole years when it is whole years (365 days each), else days. */
export function validityText(days: number): string {
  if (days % 365 === 0) {
    const years = days / 365;
    return years === 1 ? '1 year' : `${years} years`;
  }
  return days === 1 ? '1 day' : `${days} days`;
}

/** A wait in days (it may be a fraction of one) in whole days or hours. */
export function waitText(days: number): string {
  if (days >= 1 && Number.isInteger(days)) return days === 1 ? '1 day' : `${days} days`;
  const hours = Math.round(days * 24);
  return hours === 1 ? '1 hour' : `${hours} hours`;
}
