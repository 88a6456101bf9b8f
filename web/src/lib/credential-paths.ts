/** The public page of each credential: literal paths, so the server can answer 404 for any other. */
export const CREDENTIAL_PAGES = { AIDA: '/credentials/aida', CPAP: '/credentials/cpap', CPAA: '/credentials/cpaa' } as const;
export type CredentialCode = keyof typeof CREDENTIAL_PAGES;

/** Where a signed-in candidate acts on each credential. */
export const CANDIDATE_PAGES: Record<CredentialCode, string> = {
  AIDA: '/candidate/aida',
  CPAP: '/candidate/portfolio/cpap',
  CPAA: '/candidate/portfolio/cpaa',
};

export const isCredentialCode = (code: string): code is CredentialCode => code in CREDENTIAL_PAGES;
