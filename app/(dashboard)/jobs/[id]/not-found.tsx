import Link from 'next/link';

/** Shown for /jobs/{id} when no job has that id. */
export default function JobNotFound() {
  return (
    <div className="card empty-state">
      <h1>Job not found</h1>
      <p className="muted">There is no job with this id. It may have been deleted.</p>
      <Link href="/jobs" className="btn btn-primary">
        Back to jobs
      </Link>
    </div>
  );
}
