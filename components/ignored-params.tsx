/** Says which URL parameters were invalid and ignored (the page fell back to defaults). */
export function IgnoredParams({ problems }: { problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <div role="alert" className="notice notice-warning">
      <p>Some parameters in the address were ignored:</p>
      <ul>
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </div>
  );
}
