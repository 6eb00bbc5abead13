export * from './notify-member.step';
export * from './award-points.step';
