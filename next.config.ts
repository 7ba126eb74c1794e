import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The scheduler and the mysql2 pool live on globalThis; nothing else needs configuring.
};

export default nextConfig;
