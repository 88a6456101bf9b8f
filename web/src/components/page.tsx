import { ReactNode, useEffect, useRef } from 'react';

/** Every page starts with its h1: it sets the document title and takes focus after navigation, so screen readers announce the new page. */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · PSF Certification`;
    heading.current?.focus();
  }, [title]);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </>
  );
}
