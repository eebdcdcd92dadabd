import { z } from 'zod';

export const config = {
  region: 'eu-west-1',
  supabaseServiceRoleKey: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InN0cHN2bmx1bW50d3htanJ3YnZjIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTcxNTAwNDE3OSwiZXhwIjoyMDMwMzY0MTc5fQ.mWHX48NQ3MO_cIUisxoZ-0RSERiwfMS6XYMKVAS3_3y',
  accessToken: 'VFuuwY8IeyPJlsL23BCYVPVfTyutyoc',
  cfApiToken: 'ACBhTiYuboH2ywGtgdt0grZNICrFy254Yta2IFGe',
} as const;

export type Config = typeof config;
