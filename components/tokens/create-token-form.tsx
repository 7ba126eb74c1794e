'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import type { ActionResult } from '@/lib/action-result';
import { apiTokenInputSchema } from '@/lib/schemas';
import type { ApiTokenInfo } from '@/lib/types';
import { NewTokenNotice } from './new-token-notice';

type Input = z.input<typeof apiTokenInputSchema>;
type Output = z.output<typeof apiTokenInputSchema>;

/** A token just made: the plaintext (shown once) and its listing. */
export interface CreatedTokenView {
  token: string;
  info: ApiTokenInfo;
}

export interface CreateTokenFormProps {
  /** The server action that creates the token. */
  createAction: (input: Output) => Promise<ActionResult<CreatedTokenView>>;
}

/**
 * The "new token" card: a name field ("Token name") and a "Create token" button, validated with
 * the same schema as the server. The new token is then shown once above the form.
 */
export function CreateTokenForm({ createAction }: CreateTokenFormProps) {
  const [created, setCreated] = useState<CreatedTokenView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Input, unknown, Output>({ resolver: zodResolver(apiTokenInputSchema), defaultValues: { name: '' } });
  const nameError = form.formState.errors.name?.message;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    setCreated(null);
    const result = await createAction(values);
    if (result.ok) {
      setCreated(result.data);
      form.reset({ name: '' });
      return;
    }
    const fieldError = result.fieldErrors?.name?.[0];
    if (fieldError) form.setError('name', { message: fieldError });
    else setError(result.error);
  });

  return (
    <section className="card token-create" aria-labelledby="token-create-title">
      <h2 id="token-create-title">Create a token</h2>
      {created ? <NewTokenNotice created={created} onDone={() => setCreated(null)} /> : null}
      <form onSubmit={submit} noValidate className="token-create-form">
        <div className="field">
          <label htmlFor="token-name">Token name</label>
          <input
            id="token-name"
            type="text"
            autoComplete="off"
            maxLength={100}
            placeholder="e.g. deploy pipeline"
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? 'token-name-error token-name-help' : 'token-name-help'}
            {...form.register('name')}
          />
          <p id="token-name-help" className="field-help muted">
            Say who or what uses it, so you know what breaks when you revoke it.
          </p>
          {nameError ? (
            <p id="token-name-error" className="field-error">
              {nameError}
            </p>
          ) : null}
        </div>
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={form.formState.isSubmitting}>
            {form.formState.isSubmitting ? 'Creating…' : 'Create token'}
          </button>
        </div>
        {error ? (
          <p role="alert" className="field-error">
            {error}
          </p>
        ) : null}
      </form>
    </section>
  );
}
