/** The password rules the API applies (length >= 12, not breached), said once for every form that sets a password. */
export const MIN_PASSWORD = 12;

export const NEW_PASSWORD_HINT = `At least ${MIN_PASSWORD} characters. A passphrase of several words works well; passwords known from data breaches are refused.`;

/** react-hook-form rules for a new password; `required` is the form's own wording. */
export const newPasswordRules = (required: string) => ({
  required,
  minLength: { value: MIN_PASSWORD, message: `Use at least ${MIN_PASSWORD} characters` },
});

/** react-hook-form rules for typing the new password again. */
export const confirmationRules = (newPassword: () => string) => ({
  required: 'Type the new password again',
  validate: (value: string) => value === newPassword() || 'The two passwords do not match',
});
