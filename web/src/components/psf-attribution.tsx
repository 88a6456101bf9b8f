/** The framework is CC BY 4.0: wherever users see it, its attribution is shown. */
export function PsfAttribution() {
  return (
    <p className="attribution">
      The Production Safety Framework (PSF) v1.0 is published by the Production AI Institute (2024) under{' '}
      <a href="https://creativecommons.org/licenses/by/4.0/" rel="license noopener noreferrer">
        CC BY 4.0
      </a>
      . Source: productionai.institute/standard.
    </p>
  );
}
