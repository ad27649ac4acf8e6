/**
 * The {@code image} task module's entry point ({@link dev.stevedore.image.ImageModule}) and the wiring of its
 * parts: the real targets ({@link dev.stevedore.image.DefaultTargets}) bound to each copy's registry and store
 * settings ({@link dev.stevedore.image.TargetProvider}), and registry events told to the task's log. Nothing
 * imports this package: it sits above {@code args}, {@code copy}, {@code registry} and {@code store}.
 */
package dev.stevedore.image;
