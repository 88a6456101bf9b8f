import { type ReactNode, useLayoutEffect, useRef } from 'react';

/**
 * Every page starts with its h1: it sets the document title and takes focus after navigation, so
 * screen readers announce the new page. A layout effect, so the focus moves in the same commit as the
 * new page appears: with a passive effect it moved a moment later and could take the focus away from
 * a control the user (or a test) had already reached.
 */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
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
