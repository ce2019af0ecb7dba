import { Fragment } from 'react';

/**
 * A relation label that wraps at its own joints ("org:country_of_" / "headquarters") rather than
 * mid-word, where a narrow column has to wrap it at all.
 */
export function BreakableLabel({ label }: { label: string }) {
  const parts = label.split(/(?<=[:_/-])/);
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}
