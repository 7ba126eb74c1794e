import { useFormContext, type FieldPath, type RegisterOptions } from 'react-hook-form';
import type { JobFormOutput, JobFormValues } from './form-schema';

type Name = FieldPath<JobFormValues>;

/** The job form's react-hook-form context, typed. */
export function useJobForm() {
  return useFormContext<JobFormValues, unknown, JobFormOutput>();
}

/**
 * register() plus the current value as defaultValue/defaultChecked, so the server-rendered HTML
 * already shows the values (react-hook-form only fills uncontrolled inputs after hydration).
 */
export function useBind() {
  const { register, getValues } = useJobForm();
  return {
    value: (name: Name, options?: RegisterOptions<JobFormValues, Name>) => {
      const v = getValues(name);
      return { ...register(name, options), defaultValue: v === undefined || v === null ? '' : String(v) };
    },
    checkbox: (name: Name) => ({ ...register(name), defaultChecked: getValues(name) === true }),
    radio: (name: Name, value: string) => ({ ...register(name), value, defaultChecked: getValues(name) === value }),
  };
}
