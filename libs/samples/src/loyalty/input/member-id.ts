/**
 * A loyalty member id: `M-` and 3 to 12 digits, such as `M-1001`.
 * @publicApi
 */
export const MEMBER_ID_PATTERN = /^M-[0-9]{3,12}$/;
