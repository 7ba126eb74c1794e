/** An API path that may wrap only after a "/" (never inside a segment). */
export function PathText({ path }: { path: string }) {
  const parts = path.split('/');
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {i > 0 ? '/' : null}
          {part}
          {i < parts.length - 1 && i > 0 ? <wbr /> : null}
        </span>
      ))}
    </>
  );
}
