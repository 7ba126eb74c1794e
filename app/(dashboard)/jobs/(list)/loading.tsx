/** Shown while a dashboard page renders on the server. */
export default function Loading() {
  return (
    <div className="loading" aria-busy="true">
      <p className="visually-hidden">Loading…</p>
      <div className="skeleton skeleton-title" />
      <div className="skeleton skeleton-bar" />
      <div className="card">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="skeleton skeleton-row" />
        ))}
      </div>
    </div>
  );
}
